"""The models' answers to a pad drawing, in NumPy: spread ellipses, every digit, neighbours."""

from __future__ import annotations

import numpy as np
import pytest

from models.data.sketch import digit_image
from models.inference.classify import label_posterior
from models.inference.pad import encode_stats, every_digit, nearest_by_code, sigma_ellipse
from models.inference.shipped import shipped_codec
from models.nets.codec import MLPCodec


def test_encode_stats_matches_the_codec_mean() -> None:
    codec = MLPCodec.random(latent=3, hidden=8)
    x = np.random.default_rng(0).random((4, 28, 28)).astype(np.float32)
    mean, log_var = encode_stats(codec, x)
    np.testing.assert_allclose(mean, codec.encode_mean(x), rtol=1e-5)
    h = np.maximum(x.reshape(4, -1) @ codec.enc_w + codec.enc_b, 0)
    np.testing.assert_allclose(log_var, h @ codec.log_var_w + codec.log_var_b, rtol=1e-5)
    cvae = MLPCodec.random(latent=2, hidden=8, num_classes=10)
    m1, _ = encode_stats(cvae, x, np.array([1, 2, 3, 4]))
    np.testing.assert_allclose(m1, cvae.encode_mean(x, np.array([1, 2, 3, 4])), rtol=1e-5)
    with pytest.raises(ValueError, match="needs labels"):
        encode_stats(cvae, x)


def test_sigma_ellipse_has_the_encoders_spread() -> None:
    mean, log_var = np.array([1.0, -2.0, 5.0]), np.log(np.array([0.25, 4.0, 1.0]))
    one = sigma_ellipse(mean, log_var, 1.0)
    two = sigma_ellipse(mean, log_var, 2.0, points=33)
    assert one.shape == (2, 64) and two.shape == (2, 33)
    np.testing.assert_allclose([one[0].min(), one[0].max()], [0.5, 1.5], atol=1e-3)
    np.testing.assert_allclose([one[1].min(), one[1].max()], [-4.0, 0.0], atol=1e-2)
    np.testing.assert_allclose([two[0].min(), two[0].max()], [0.0, 2.0], atol=1e-2)
    # Other dimensions: the ellipse of z[1] and z[2].
    other = sigma_ellipse(mean, log_var, 1.0, dims=(1, 2))
    np.testing.assert_allclose([other[1].min(), other[1].max()], [4.0, 6.0], atol=1e-2)


def test_every_digit_keeps_the_drawings_style(drawn_digits: dict[int, list[np.ndarray]]) -> None:
    codec = shipped_codec("cvae")
    assert codec is not None
    image = digit_image(drawn_digits[4])
    result = every_digit(codec, image)
    assert result.best == 4
    np.testing.assert_allclose(result.posterior, label_posterior(codec, image[None])[0])
    assert result.images.shape == (10, 28, 28)
    z = codec.encode_mean(image[None], np.array([4]))[0]
    np.testing.assert_allclose(result.z, z, rtol=1e-5)
    np.testing.assert_allclose(result.images[7], codec.decode(z, np.eye(10)[7])[0], atol=1e-6)
    with pytest.raises(ValueError, match="only a conditional VAE"):
        every_digit(MLPCodec.random(), image)


def test_nearest_by_code() -> None:
    codes = np.array([[0.0, 0.0], [5.0, 5.0], [1.0, 0.0], [0.0, 3.0]])
    assert nearest_by_code(codes, np.array([0.2, 0.0]), k=3).tolist() == [0, 2, 3]
    assert nearest_by_code(codes, np.array([9.0, 9.0]), k=10).tolist() == [1, 3, 2, 0]
    assert nearest_by_code(codes, np.zeros(2), k=0).tolist() == []
