using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Captioner.EndToEnd.Tests.Browser;
using Captioner.EndToEnd.Tests.Http;
using Captioner.TestSupport;

namespace Captioner.EndToEnd.Tests;

/// <summary>
/// The page in headless Chromium against the running local host: what a user sees in the gallery, after an upload,
/// while a bulk job runs and for a training job.
/// </summary>
[Collection(RunningStackGroup.Name)]
public sealed class PageTests(RunningStack stack) : IAsyncLifetime
{
    private static readonly string Samples = Path.Combine(RepositoryPaths.SharedData, "samples");
    private Chromium? _browser;

    private DevToolsSession Page => _browser!.Page;

    public async Task InitializeAsync() => _browser = await Chromium.StartAsync();

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_gallery_shows_each_caption_and_a_failed_images_reason_with_the_key_from_the_fragment_sent_only_as_a_header()
    {
        var etags = new Dictionary<string, string>
        {
            ["page/rocket.jpg"] = await stack.UploadAsync("page/rocket.jpg", File.ReadAllBytes(Path.Combine(Samples, "rocket.jpg"))),
            ["page/truncated.jpg"] = await stack.UploadAsync("page/truncated.jpg", File.ReadAllBytes(Path.Combine(Samples, "truncated.jpg"))),
        };
        var results = await stack.WaitForResultsAsync(etags, TimeSpan.FromSeconds(60));
        var requests = await RecordRequestsAsync();
        await RecordPolicyViolationsAsync();

        // The local host ignores a key; in Azure every API request must carry it, as a header and never in a URL.
        await Page.NavigateAsync(new Uri(stack.Http.BaseAddress!, "/#code=page-key"));
        await Page.WaitForAsync("document.querySelector('[data-image=\"page/truncated.jpg\"]') && document.querySelector('[data-image=\"page/rocket.jpg\"] img').naturalWidth > 0", TimeSpan.FromSeconds(20));

        Assert.Equal(new Uri(stack.Http.BaseAddress!, "/").ToString(), (await Page.EvaluateAsync("location.href")).GetString());
        Assert.StartsWith("blob:", (await Page.EvaluateAsync("document.querySelector('[data-image=\"page/rocket.jpg\"] img').src")).GetString(), StringComparison.Ordinal);
        var api = requests.Where(r => r.Url.Contains("/api/", StringComparison.Ordinal)).ToList();
        Assert.Contains(api, r => r.Url.Contains("/api/thumbnails/page/rocket.jpg", StringComparison.Ordinal));
        Assert.All(api, r => Assert.Equal("page-key", r.Key));
        Assert.DoesNotContain(requests, r => r.Url.Contains("code=", StringComparison.OrdinalIgnoreCase) || r.Url.Contains("page-key", StringComparison.Ordinal));
        Assert.Equal("[]", (await Page.EvaluateAsync("JSON.stringify(window.policyViolations)")).GetString());

        Assert.Equal(results["page/rocket.jpg"].Caption, await Page.TextAsync("[data-image=\"page/rocket.jpg\"] .caption"));
        Assert.Equal("Failed: Truncated", await Page.TextAsync("[data-image=\"page/truncated.jpg\"] .caption"));
        Assert.Contains("truncated", await Page.TextAsync("[data-image=\"page/truncated.jpg\"] .error"), StringComparison.Ordinal);
        await KeepScreenshotAsync();
    }

    [Fact]
    public async Task The_detail_view_shows_the_full_image_with_the_attention_of_each_caption_word_drawn_over_it_at_an_address_without_the_key()
    {
        var etag = await stack.UploadAsync("page/detail.png", File.ReadAllBytes(Path.Combine(Samples, "chelsea.png")));
        var result = (await stack.WaitForResultsAsync(new Dictionary<string, string> { ["page/detail.png"] = etag }, TimeSpan.FromSeconds(60)))["page/detail.png"];
        Assert.NotNull(result.Attention);

        await Page.NavigateAsync(new Uri(stack.Http.BaseAddress!, "/#code=page-key&image=page%2Fdetail.png"));
        await Page.WaitForAsync("document.getElementById('detail').open && document.querySelector('#attention-words [aria-pressed=true]')", TimeSpan.FromSeconds(20));

        // The address to share names the image and nothing else.
        Assert.Equal(new Uri(stack.Http.BaseAddress!, "/#image=page%2Fdetail.png").ToString(), (await Page.EvaluateAsync("location.href")).GetString());
        Assert.Equal(result.Caption!.Split(' ').Length, (await Page.EvaluateAsync("document.querySelectorAll('#attention-words button').length")).GetInt32());
        Assert.True((await Page.EvaluateAsync("document.getElementById('detail-image').naturalWidth")).GetInt32() > 256, "the full image, not the thumbnail");
        Assert.True((await Page.EvaluateAsync(PaintedCells)).GetInt32() > 0, "no attention was drawn");
        Assert.DoesNotContain("null", await Page.TextAsync("#detail-body"), StringComparison.Ordinal);

        // Another word, another picture.
        var first = (await Page.EvaluateAsync("document.getElementById('attention').toDataURL()")).GetString();
        await Page.EvaluateAsync("document.querySelectorAll('#attention-words button')[1].click()");
        Assert.NotEqual(first, (await Page.EvaluateAsync("document.getElementById('attention').toDataURL()")).GetString());

        // Closed, the image's blob: URL is revoked and the address is the page's again.
        var image = (await Page.EvaluateAsync("document.getElementById('detail-image').src")).GetString()!;
        Assert.StartsWith("blob:", image, StringComparison.Ordinal);
        // An image element probes it: the page's policy lets images, not requests, read blob: URLs.
        var probe = $"new Promise(done => {{ const probe = new Image(); probe.onload = () => done('loaded'); probe.onerror = () => done('revoked'); probe.src = '{image}'; }})";
        Assert.Equal("loaded", (await Page.EvaluateAsync(probe)).GetString());
        await Page.EvaluateAsync("document.getElementById('detail').close()");
        await Page.WaitForAsync("!document.getElementById('detail-image').hasAttribute('src')", TimeSpan.FromSeconds(5));
        Assert.Equal("revoked", (await Page.EvaluateAsync(probe)).GetString());
        Assert.Equal(new Uri(stack.Http.BaseAddress!, "/").ToString(), (await Page.EvaluateAsync("location.href")).GetString());
    }

    [Fact]
    public async Task Caption_again_starting_with_given_words_recaptions_only_that_image_and_shows_the_new_caption()
    {
        var photo = File.ReadAllBytes(Path.Combine(Samples, "chelsea.png"));
        var etags = new Dictionary<string, string>
        {
            ["page/again.png"] = await stack.UploadAsync("page/again.png", photo),
            ["page/again.png.copy.png"] = await stack.UploadAsync("page/again.png.copy.png", photo),
        };
        var before = await stack.WaitForResultsAsync(etags, TimeSpan.FromSeconds(60));

        await Page.NavigateAsync(new Uri(stack.Http.BaseAddress!, "/#image=page%2Fagain.png"));
        await Page.WaitForAsync("document.getElementById('detail').open && document.getElementById('begin-with')", TimeSpan.FromSeconds(20));
        await Page.EvaluateAsync("document.getElementById('begin-with').value = 'a cat'; document.getElementById('begin-with').form.requestSubmit()");
        await Page.WaitForAsync("document.querySelector('#detail-body .caption').textContent.startsWith('a cat ')", TimeSpan.FromSeconds(60));

        var again = await stack.Results.GetAsync("images", "page/again.png");
        Assert.StartsWith("a cat ", again!.Caption, StringComparison.Ordinal);
        Assert.Equal(again.Caption, await Page.TextAsync("#detail-body .caption"));
        // The job was that one image: the other, whose name begins with it, keeps its result.
        Assert.Equal(before["page/again.png.copy.png"].Caption, (await stack.Results.GetAsync("images", "page/again.png.copy.png"))!.Caption);
    }

    [Fact]
    public async Task A_caption_corrected_in_the_detail_view_is_stored_for_that_photo_and_shown_when_it_is_opened_again()
    {
        var etag = await stack.UploadAsync("page/correct.png", File.ReadAllBytes(Path.Combine(Samples, "rocket.jpg")));
        var result = (await stack.WaitForResultsAsync(new Dictionary<string, string> { ["page/correct.png"] = etag }, TimeSpan.FromSeconds(60)))["page/correct.png"];

        await Page.NavigateAsync(new Uri(stack.Http.BaseAddress!, "/#image=page%2Fcorrect.png"));
        await Page.WaitForAsync("document.getElementById('detail').open && document.getElementById('correction')", TimeSpan.FromSeconds(20));
        await Page.EvaluateAsync("document.getElementById('correction').value = 'a rocket lifts off from a launch pad'; document.getElementById('correction').form.requestSubmit()");
        await Page.WaitForAsync("document.getElementById('correction-status').textContent.startsWith('Saved')", TimeSpan.FromSeconds(20));

        var stored = await new Core.Corrections.CorrectionStore(stack.Storage.Container("training")).GetAsync("images", "page/correct.png");
        Assert.Equal("a rocket lifts off from a launch pad", stored!.Caption);
        Assert.Equal(result.ETag, stored.ETag);

        // A hostile text is refused by the API with its reason shown, and the stored correction stays.
        await Page.EvaluateAsync("document.getElementById('correction').value = 'a <b>rocket</b>'; document.getElementById('correction').form.requestSubmit()");
        await Page.WaitForAsync("document.getElementById('correction-status').textContent.includes('may hold only letters')", TimeSpan.FromSeconds(20));
        Assert.Equal("a rocket lifts off from a launch pad", (await new Core.Corrections.CorrectionStore(stack.Storage.Container("training")).GetAsync("images", "page/correct.png"))!.Caption);

        // Opened again (the page reloaded at the detail's address): the saved caption is shown.
        await Page.EvaluateAsync("location.reload()");
        await Page.WaitForAsync("document.getElementById('correction-status')?.textContent === 'Your caption: a rocket lifts off from a launch pad'", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_photo_dropped_on_the_page_is_uploaded_and_its_caption_appears_when_ready()
    {
        var photo = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(Samples, "camera.png")));
        await Page.NavigateAsync(stack.Http.BaseAddress!);
        await Page.EvaluateAsync("document.querySelector('nav [data-section=upload]').click()");

        // What a drag from the desktop delivers: a drop event whose DataTransfer holds the file.
        await Page.EvaluateAsync($$"""
            (() => {
              const bytes = Uint8Array.from(atob('{{photo}}'), c => c.charCodeAt(0));
              const files = new DataTransfer();
              files.items.add(new File([bytes], 'camera.png', { type: 'image/png' }));
              document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
            })()
            """);
        await Page.WaitForAsync("document.querySelector('#uploads .card[data-image^=\"uploads/\"] .open')", TimeSpan.FromSeconds(60));

        var image = (await Page.EvaluateAsync("document.querySelector('#uploads .card').dataset.image")).GetString()!;
        var stored = await stack.Results.GetAsync("images", image);
        Assert.NotNull(stored);
        Assert.Equal("succeeded", stored.Status);
        Assert.Equal(stored.Caption, await Page.TextAsync("#uploads .card .caption"));
    }

    [Fact]
    public async Task A_bulk_job_started_on_the_page_shows_its_counts_until_it_finishes()
    {
        foreach (var name in new[] { "rocket.jpg", "chelsea.png" })
        {
            await stack.UploadAsync($"page-bulk/{name}", File.ReadAllBytes(Path.Combine(Samples, name)));
        }

        await Page.NavigateAsync(stack.Http.BaseAddress!);
        await Page.EvaluateAsync("""
            (() => {
              document.querySelector('nav [data-section=bulk]').click();
              document.getElementById('bulk-prefix').value = 'page-bulk/';
              document.getElementById('bulk-force').checked = true;
              document.querySelector('#bulk-form button[type=submit]').click();
            })()
            """);
        await Page.WaitForAsync("document.getElementById('bulk-status').innerText.includes('Finished.')", TimeSpan.FromSeconds(90));

        var id = (await Page.EvaluateAsync("document.getElementById('bulk-id').value")).GetString();
        var status = await stack.Http.GetFromJsonAsync<JsonElement>($"/api/bulk/{id}");
        Assert.Equal(2, status.GetProperty("total").GetInt32());
        Assert.DoesNotContain("null", await Page.TextAsync("#bulk-status"), StringComparison.Ordinal);
        var counts = await Page.TextAsync("#bulk-status .counts");
        Assert.Equal($"2 listed · {status.GetProperty("done")} captioned ({status.GetProperty("unsure")} unsure) · {status.GetProperty("skipped")} skipped · {status.GetProperty("failed")} failed", counts);
    }

    [Fact]
    public async Task Unsure_captions_carry_a_badge_come_first_in_least_sure_order_and_the_detail_says_why()
    {
        // Samples unlike Flickr8k's beside Flickr8k dev photos.
        var dev = File.ReadLines(Path.Combine(RepositoryPaths.Flickr8k, "split_dev.txt")).Take(3).ToList();
        var etags = new Dictionary<string, string>
        {
            ["review/chelsea.png"] = await stack.UploadAsync("review/chelsea.png", File.ReadAllBytes(Path.Combine(Samples, "chelsea.png"))),
            ["review/coffee.png"] = await stack.UploadAsync("review/coffee.png", File.ReadAllBytes(Path.Combine(Samples, "coffee.png"))),
        };
        foreach (var name in dev)
        {
            etags[$"review/{name}"] = await stack.UploadAsync($"review/{name}", File.ReadAllBytes(Path.Combine(RepositoryPaths.Flickr8k, "images", name)));
        }

        var results = await stack.WaitForResultsAsync(etags, TimeSpan.FromSeconds(90));
        Assert.True(results["review/chelsea.png"].Unfamiliar);

        await Page.NavigateAsync(new Uri(stack.Http.BaseAddress!, "/"));
        await Page.WaitForAsync("document.querySelector('[data-image=\"review/chelsea.png\"] .badge.unsure')", TimeSpan.FromSeconds(20));
        foreach (var (name, result) in results)
        {
            var badge = (await Page.EvaluateAsync($"!!document.querySelector('[data-image=\"{name}\"] .badge.unsure')")).GetBoolean();
            Assert.True(result.Unsure == badge, $"{name}: unsure {result.Unsure}, badge {badge}");
        }

        // Least sure first: every unsure card before every other captioned one.
        await Page.EvaluateAsync("document.getElementById('order').value = 'least-sure'; document.querySelector('#search button[type=submit]').click()");
        await Page.WaitForAsync("document.getElementById('gallery-summary').innerText.includes('searched')", TimeSpan.FromSeconds(20));
        var order = (await Page.EvaluateAsync("JSON.stringify([...document.querySelectorAll('#results .card:not(.failed)')].map(c => c.classList.contains('unsure')))")).GetString()!;
        var flags = JsonSerializer.Deserialize<bool[]>(order)!;
        Assert.Contains(true, flags);
        Assert.True(flags.SkipWhile(unsure => unsure).All(unsure => !unsure), order);

        // Unsure only, and the detail says why.
        await Page.EvaluateAsync("document.getElementById('unsure-only').checked = true; document.querySelector('#search button[type=submit]').click()");
        await Page.WaitForAsync("[...document.querySelectorAll('#results .card')].every(c => c.classList.contains('unsure'))", TimeSpan.FromSeconds(20));
        await Page.EvaluateAsync("document.querySelector('[data-image=\"review/chelsea.png\"] .open').click()");
        await Page.WaitForAsync("document.getElementById('detail').open", TimeSpan.FromSeconds(10));
        Assert.Contains("unlike the photos the model learned from", await Page.TextAsync("#detail-body .unsure-why"), StringComparison.Ordinal);
        Assert.Matches(@"confidence \d+%", await Page.TextAsync("#detail-body .confidence"));
    }

    [Fact]
    public async Task A_finished_training_job_shows_its_phase_and_a_loss_chart_of_every_epoch()
    {
        // A real training job takes minutes: the job's status answer is stubbed in the browser, the page and the rest are real.
        const string job = """
            {"id": "train-seeded", "runtimeStatus": "Completed", "createdAt": "2026-11-30T00:00:00Z", "lastUpdatedAt": "2026-11-30T00:10:00Z",
             "status": {"phase": "done", "epoch": 3, "maxEpochs": 3, "trainLoss": 2.9, "devLoss": 3.1},
             "output": {"version": "seeded-v1", "promoted": true, "promotion": "promoted: dev CIDEr-D 0.41 > 0.39", "metrics": {"greedy.cider": 0.41, "beam3.bleu4": 0.2},
                        "history": [{"epoch": 1, "trainLoss": 3.9, "devLoss": 3.6}, {"epoch": 2, "trainLoss": 3.2, "devLoss": 3.3}, {"epoch": 3, "trainLoss": 2.9, "devLoss": 3.1}]}}
            """;
        Page.On("Fetch.requestPaused", request => Page.SendAsync("Fetch.fulfillRequest", new
        {
            requestId = request.GetProperty("requestId").GetString(),
            responseCode = 200,
            responseHeaders = new[] { new { name = "Content-Type", value = "application/json" } },
            body = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(job)),
        }));
        await Page.SendAsync("Fetch.enable", new { patterns = new[] { new { urlPattern = "*/api/training/train-seeded*" } } });

        await Page.NavigateAsync(stack.Http.BaseAddress!);
        await Page.EvaluateAsync("""
            (() => {
              document.querySelector('nav [data-section=training]').click();
              document.getElementById('training-id').value = 'train-seeded';
              document.querySelector('#training-follow button[type=submit]').click();
            })()
            """);
        await Page.WaitForAsync("document.querySelector('#loss-chart polyline[data-series=dev]')", TimeSpan.FromSeconds(20));

        Assert.Equal("Completed · phase done · epoch 3 of 3", await Page.TextAsync("#training-status .phase"));
        Assert.Equal("greedy.cider 0.4100 · beam3.bleu4 0.2000", await Page.TextAsync("#training-status .metrics"));
        Assert.Equal(3, (await Page.EvaluateAsync("document.querySelector('#loss-chart polyline[data-series=train]').getAttribute('points').split(' ').length")).GetInt32());
        Assert.Equal(3, (await Page.EvaluateAsync("document.querySelector('#loss-chart polyline[data-series=dev]').getAttribute('points').split(' ').length")).GetInt32());
        Assert.True((await Page.EvaluateAsync("document.getElementById('training-cancel').disabled")).GetBoolean(), "a finished job cannot be cancelled");
    }

    [Fact]
    public async Task Where_training_runs_in_another_app_the_page_asks_that_app_with_its_own_key_as_a_header_and_not_the_pages()
    {
        // The page as the captioning app serves it in Azure (its handler run with the training app's address, its
        // policy included); this host serves an empty one. The training app is stubbed in the browser, preflight
        // included, allowing exactly what its ingress allows; the request it gets is recorded.
        var azurePage = await RenderedPage.RenderAsync("https://trainer.example/");
        var pageUrl = new Uri(stack.Http.BaseAddress!, "/").ToString();
        const string job = """{"id": "train-elsewhere", "runtimeStatus": "Running", "status": {"phase": "training", "epoch": 1, "maxEpochs": 4}}""";
        var asked = new TaskCompletionSource<(string Url, string? Key)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cors = new[] { Header("Access-Control-Allow-Origin", pageUrl.TrimEnd('/')), Header("Access-Control-Allow-Headers", "content-type, x-functions-key"), Header("Access-Control-Allow-Methods", "GET, POST") };
        Page.On("Fetch.requestPaused", paused =>
        {
            var request = paused.GetProperty("request");
            var url = request.GetProperty("url").GetString()!;
            var (status, headers, body) = url == pageUrl
                ? (200, azurePage.Headers.Select(h => Header(h.Key, h.Value)).ToArray(), azurePage.Html)
                : request.GetProperty("method").GetString() == "OPTIONS"
                    ? (204, cors, string.Empty)
                    : (200, [.. cors, Header("Content-Type", "application/json")], job);
            if (url != pageUrl && status == 200)
            {
                asked.TrySetResult((url, request.GetProperty("headers").TryGetProperty("x-functions-key", out var key) ? key.GetString() : null));
            }

            return Page.SendAsync("Fetch.fulfillRequest", new
            {
                requestId = paused.GetProperty("requestId").GetString(),
                responseCode = status,
                responseHeaders = headers,
                body = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(body)),
            });
        });
        await Page.SendAsync("Fetch.enable", new { patterns = new object[] { new { urlPattern = pageUrl }, new { urlPattern = "https://trainer.example/*" } } });

        await Page.NavigateAsync(new Uri(pageUrl + "#code=page-key&trainingCode=trainer-key"));
        await Page.EvaluateAsync("""
            (() => {
              document.querySelector('nav [data-section=training]').click();
              document.getElementById('training-id').value = 'train-elsewhere';
              document.querySelector('#training-follow button[type=submit]').click();
            })()
            """);

        Assert.Equal(("https://trainer.example/api/training/train-elsewhere", "trainer-key"), await asked.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        await Page.WaitForAsync("document.querySelector('#training-status .phase') !== null", TimeSpan.FromSeconds(20));
        Assert.StartsWith("Running · phase training · epoch 1 of 4", await Page.TextAsync("#training-status .phase"), StringComparison.Ordinal);
        Assert.Equal(pageUrl, (await Page.EvaluateAsync("location.href")).GetString());
    }

    [Fact]
    public async Task The_models_panel_marks_the_version_being_served_as_current()
    {
        var current = (await stack.Models.GetCurrentAsync())!.Version;
        await Page.NavigateAsync(stack.Http.BaseAddress!);
        await Page.EvaluateAsync("document.querySelector('nav [data-section=models]').click()");
        await Page.WaitForAsync("document.querySelector('#model-rows tr.current')", TimeSpan.FromSeconds(20));

        Assert.Equal($"{current} (current)", await Page.TextAsync("#model-rows tr.current th"));
    }

    private static object Header(string name, string value) => new { name, value };

    /// <summary>Every request the page sends from now on: its URL and its <c>x-functions-key</c> header, if any.</summary>
    private async Task<ConcurrentQueue<(string Url, string? Key)>> RecordRequestsAsync()
    {
        var requests = new ConcurrentQueue<(string Url, string? Key)>();
        Page.On("Network.requestWillBeSent", sent =>
        {
            var request = sent.GetProperty("request");
            requests.Enqueue((request.GetProperty("url").GetString()!, request.GetProperty("headers").TryGetProperty("x-functions-key", out var key) ? key.GetString() : null));
            return Task.CompletedTask;
        });
        await Page.SendAsync("Network.enable");
        return requests;
    }

    /// <summary>Collects what the page's Content-Security-Policy blocks into <c>window.policyViolations</c>, from the next page on.</summary>
    private async Task RecordPolicyViolationsAsync() => await Page.SendAsync("Page.addScriptToEvaluateOnNewDocument", new
    {
        source = "window.policyViolations = []; document.addEventListener('securitypolicyviolation', e => window.policyViolations.push(e.violatedDirective + ' ' + e.blockedURI));",
    });

    /// <summary>How many pixels of the attention canvas are painted.</summary>
    private const string PaintedCells = """
        (() => {
          const canvas = document.getElementById('attention');
          const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
          return painted;
        })()
        """;

    /// <summary>The gallery's picture, beside the test output; also into docs/ for the README when CAPTIONER_UPDATE_SCREENSHOT=1.</summary>
    private async Task KeepScreenshotAsync()
    {
        var png = await Page.ScreenshotAsync();
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "page.png"), png);
        if (Environment.GetEnvironmentVariable("CAPTIONER_UPDATE_SCREENSHOT") == "1")
        {
            await File.WriteAllBytesAsync(Path.Combine(RepositoryPaths.Root, "docs", "page.png"), png);
        }
    }
}
