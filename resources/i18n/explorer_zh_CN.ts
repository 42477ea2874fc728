<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>CategoryDialog</name>
        <message>
            <source>Quick Draw categories</source>
            <translation>Quick Draw 类别</translation>
        </message>
        <message>
            <source>Filter (e.g. ca)</source>
            <translation>筛选（例如 ca）</translation>
        </message>
        <message>
            <source>Tick the categories to train on together:</source>
            <translation>勾选要一起训练的类别：</translation>
        </message>
        <message numerus="yes">
            <source>%n chosen: %1</source>
            <translation>
                <numerusform>已选 %n 个：%1</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>DownloadDialog</name>
        <message>
            <source>Download a Quick Draw category</source>
            <translation>下载一个 Quick Draw 类别</translation>
        </message>
        <message numerus="yes">
            <source>%n categories from Google's Quick, Draw! data set (CC BY 4.0). Each download is tens to hundreds of MB; it is kept in the cache.</source>
            <translation>
                <numerusform>来自 Google 的 Quick, Draw! 数据集（CC BY 4.0）的 %n 个类别。每次下载几十到几百 MB；下载后保存在缓存中。</numerusform>
            </translation>
        </message>
        <message>
            <source>Search, e.g. cat</source>
            <translation>搜索，例如 cat</translation>
        </message>
        <message>
            <source>Download</source>
            <translation>下载</translation>
        </message>
        <message>
            <source>%1: starting…</source>
            <translation>%1：正在开始…</translation>
        </message>
        <message>
            <source>%1: %2 of %3</source>
            <translation>%1：%2 / %3</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1：%2</translation>
        </message>
        <message>
            <source>%1: done</source>
            <translation>%1：完成</translation>
        </message>
        <message>
            <source>cancelled</source>
            <translation>已取消</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>失败</translation>
        </message>
        <message>
            <source>Download cancelled.</source>
            <translation>下载已取消。</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>正在取消…</translation>
        </message>
    </context>
    <context>
        <name>LanguageMenu</name>
        <message>
            <source>&amp;Language</source>
            <translation>语言(&amp;L)</translation>
        </message>
        <message>
            <source>The language changes at the next start of the app.</source>
            <translation>语言将在下次启动应用时更改。</translation>
        </message>
        <message>
            <source>System</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <source>Could not keep the choice: %1</source>
            <translation>无法保存这个选择：%1</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <source>Language: %1.</source>
            <translation>语言：%1。</translation>
        </message>
        <message>
            <source>Language: %1. It applies at the next start of the app.</source>
            <translation>语言：%1。将在下次启动应用时生效。</translation>
        </message>
    </context>
    <context>
        <name>LossSparkline</name>
        <message>
            <source>loss</source>
            <translation>损失</translation>
        </message>
        <message>
            <source>%1 per epoch; the dot is epoch %2: %3</source>
            <translation>每轮的%1；圆点是第 %2 轮：%3</translation>
        </message>
    </context>
    <context>
        <name>Presenter</name>
        <message>
            <source>Zoom %1%</source>
            <translation>缩放 %1%</translation>
        </message>
        <message>
            <source>&amp;Full screen</source>
            <translation>全屏(&amp;F)</translation>
        </message>
        <message>
            <source>Zoom &amp;in</source>
            <translation>放大(&amp;I)</translation>
        </message>
        <message>
            <source>Zoom &amp;out</source>
            <translation>缩小(&amp;O)</translation>
        </message>
        <message>
            <source>&amp;Actual size</source>
            <translation>实际大小(&amp;A)</translation>
        </message>
        <message>
            <source>&amp;Presenter mode (hide advanced settings)</source>
            <translation>演示模式（隐藏高级设置）(&amp;P)</translation>
        </message>
    </context>
    <context>
        <name>SpeedControl</name>
        <message>
            <source>Speed (slow motion)</source>
            <translation>速度（慢动作）</translation>
        </message>
        <message>
            <source>Slow training down so a class can watch each batch</source>
            <translation>放慢训练，让全班能看清每一批</translation>
        </message>
        <message>
            <source>Step 1 batch</source>
            <translation>前进 1 批</translation>
        </message>
        <message>
            <source>Pause, then train exactly one batch</source>
            <translation>暂停，然后只训练一批</translation>
        </message>
        <message>
            <source>Step 1 epoch</source>
            <translation>前进 1 轮</translation>
        </message>
        <message>
            <source>Pause, then train to the end of this epoch</source>
            <translation>暂停，然后训练到本轮结束</translation>
        </message>
        <message>
            <source>Pace</source>
            <translation>节奏</translation>
        </message>
        <message>
            <source>full speed</source>
            <translation>全速</translation>
        </message>
        <message>
            <source>%1 ms between batches</source>
            <translation>每批间隔 %1 毫秒</translation>
        </message>
    </context>
    <context>
        <name>TensorFlowLoader</name>
        <message>
            <source>TensorFlow could not be loaded: %1</source>
            <translation>无法加载 TensorFlow：%1</translation>
        </message>
    </context>
    <context>
        <name>TimelineBar</name>
        <message>
            <source>Play</source>
            <translation>播放</translation>
        </message>
        <message>
            <source>Replay the run, one epoch at a time</source>
            <translation>回放这次训练，一次一轮</translation>
        </message>
        <message>
            <source>Drag to see the model after each epoch; the right end is now</source>
            <translation>拖动查看每一轮之后的模型；最右端是当前</translation>
        </message>
        <message>
            <source>GIF…</source>
            <translation>GIF…</translation>
        </message>
        <message>
            <source>Save the replay as an animated GIF (one frame per epoch)</source>
            <translation>将回放保存为 GIF 动画（每轮一帧）</translation>
        </message>
        <message>
            <source>Replay</source>
            <translation>回放</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>暂停</translation>
        </message>
        <message>
            <source>epoch %1 of %2 (now)</source>
            <translation>第 %1 轮，共 %2 轮（当前）</translation>
        </message>
        <message>
            <source>epoch %1 of %2</source>
            <translation>第 %1 轮，共 %2 轮</translation>
        </message>
    </context>
    <context>
        <name>actions</name>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
    </context>
    <context>
        <name>categories</name>
        <message>
            <source> … and %n more</source>
            <translation> …… 以及另外 %n 个</translation>
        </message>
        <message>
            <source>Half %1, half %2</source>
            <translation>一半%1，一半%2</translation>
        </message>
        <message>
            <source>Pure %1</source>
            <translation>纯%1</translation>
        </message>
    </context>
    <context>
        <name>imaging</name>
        <message>
            <source>%1: cannot save the picture, folder %2 does not exist</source>
            <translation>%1：无法保存图片，文件夹 %2 不存在</translation>
        </message>
        <message>
            <source>%1: could not write the PNG (is the folder writable?)</source>
            <translation>%1：无法写入 PNG（文件夹可写吗？）</translation>
        </message>
    </context>
    <context>
        <name>kinds</name>
        <message>
            <source>Autoencoder (conv, sketches)</source>
            <translation>自编码器（卷积，草图）</translation>
        </message>
        <message>
            <source>Autoencoder (dense, digits)</source>
            <translation>自编码器（全连接，数字）</translation>
        </message>
        <message>
            <source>VAE (digits)</source>
            <translation>VAE（数字）</translation>
        </message>
        <message>
            <source>VAE (conv, sketches)</source>
            <translation>VAE（卷积，草图）</translation>
        </message>
        <message>
            <source>Conditional VAE (digits)</source>
            <translation>条件 VAE（数字）</translation>
        </message>
        <message>
            <source>Conditional VAE (conv, sketches)</source>
            <translation>条件 VAE（卷积，草图）</translation>
        </message>
        <message>
            <source>autoencoder</source>
            <translation>自编码器</translation>
        </message>
        <message>
            <source>VAE</source>
            <translation>VAE</translation>
        </message>
        <message>
            <source>CVAE</source>
            <translation>CVAE</translation>
        </message>
        <message>
            <source>digits</source>
            <translation>数字</translation>
        </message>
        <message>
            <source>sketches</source>
            <translation>草图</translation>
        </message>
        <message>
            <source>classic</source>
            <translation>经典</translation>
        </message>
        <message>
            <source>improved</source>
            <translation>改进</translation>
        </message>
    </context>
    <context>
        <name>replay_links</name>
        <message>
            <source>Export training &amp;replay as GIF…</source>
            <translation>将训练回放导出为 GIF(&amp;R)…</translation>
        </message>
        <message>
            <source>Export replay</source>
            <translation>导出回放</translation>
        </message>
        <message>
            <source>There is no training run to replay yet: train a model first.</source>
            <translation>还没有可回放的训练：请先训练一个模型。</translation>
        </message>
        <message>
            <source>Export the training replay</source>
            <translation>导出训练回放</translation>
        </message>
        <message>
            <source>Animated GIF (*.gif)</source>
            <translation>GIF 动画 (*.gif)</translation>
        </message>
        <message>
            <source>Could not export the replay</source>
            <translation>无法导出回放</translation>
        </message>
        <message>
            <source>Saved the replay (%n epochs) to %1</source>
            <translation>已将回放（%n 轮）保存到 %1</translation>
        </message>
    </context>
</TS>
