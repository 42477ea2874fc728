<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>CVAEPanel</name>
        <message>
            <source>Which conditional VAE to mix with</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Drawing…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loading the %1…</source>
            <translation type="unfinished" />
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
            <translation type="unfinished" />
        </message>
        <message>
            <source>word, e.g. cat</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What the drawing shows: one file of drawings a word</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add to class set</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undo last added</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete the selected drawing from the class set</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose folder…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Train on the class set</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Added a drawing of “%1”.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Took back the drawing of “%1”.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Deleted a drawing of “%1”.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Folder of the class set</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n drawing(s)</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message numerus="yes">
            <source>%n word(s)</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <source>in %1</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n stroke(s)</source>
            <translation type="unfinished">
                <numerusform />
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
            <source>sum {total}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Category mix</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All digits to 0</source>
            <translation>所有数字归 0</translation>
        </message>
        <message>
            <source>All categories to 0</source>
            <translation type="unfinished" />
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
            <translation type="unfinished" />
        </message>
        <message>
            <source>Set %1 to 1 and every other digit to 0</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Set %1 to 1 and every other category to 0</source>
            <translation type="unfinished" />
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
        <name>LossCurves</name>
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
            <translation type="unfinished" />
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
            <source>%1 left</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 on average</source>
            <translation>平均 %1</translation>
        </message>
    </context>
    <context>
        <name>LossPlot</name>
        <message>
            <source>training %1</source>
            <translation>训练%1</translation>
        </message>
        <message>
            <source>validation %1</source>
            <translation>验证%1</translation>
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
            <translation type="unfinished" />
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
            <source>Paused</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stopping</source>
            <translation type="unfinished" />
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
            <translation type="unfinished" />
        </message>
        <message>
            <source>Training %1…</source>
            <translation>正在训练%1…</translation>
        </message>
        <message>
            <source>Training paused after epoch %1 of %2: press Resume to go on</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stopping %1 after this batch…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stopped before the first epoch ended: nothing was kept; the previous model is still shown.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1: stopped after %n epoch(s); the tabs show it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1: finished %n epoch(s); the tabs show it.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ModelMenu</name>
        <message>
            <source>Digit VAE</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Digit CVAE</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Autoencoder (sketches)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sketch CVAE</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Shipped models</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show the model that ships with the app (the others stay loaded)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Comparison models</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Recent runs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Revert to shipped %1</source>
            <translation>恢复为自带的 %1</translation>
        </message>
        <message>
            <source>Show the model that ships with the app again</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>(none yet)</source>
            <translation type="unfinished" />
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
            <translation type="unfinished">
                <numerusform />
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
            <translation type="unfinished" />
        </message>
        <message>
            <source>Epoch %1 of %2: validation </source>
            <translation>第 %1 轮，共 %2 轮：验证 </translation>
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
            <translation type="unfinished" />
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
            <source>; stop it first.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Generated practice sketches, not real drawings.</source>
            <translation type="unfinished" />
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
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Stopped after %n epoch(s).</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message numerus="yes">
            <source>Finished %n epoch(s).</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <source>Final validation loss %1.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The other tabs now show this model.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TrainingSettings</name>
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
            <translation type="unfinished" />
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
            <translation type="unfinished" />
        </message>
        <message>
            <source>Load weights from a model folder</source>
            <translation>从模型文件夹加载权重</translation>
        </message>
        <message>
            <source>There is no %1 in memory to save yet; train one first.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>There is no %1 in memory to save yet; train one first (TensorFlow is still loading).</source>
            <translation type="unfinished" />
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
            <translation type="unfinished" />
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
