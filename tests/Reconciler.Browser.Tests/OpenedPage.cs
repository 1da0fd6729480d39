using Microsoft.Playwright;
using Reconciler.Cli.Tests.Fleet;
using Reconciler.Cli.Views;
using Reconciler.Core.Monitoring;
using Reconciler.Core.Plans;

namespace Reconciler.Browser.Tests;

/// <summary>
/// A fleet page rendered to a temp directory and opened from file://, with everything it did recorded: console
/// messages, page errors, dialogs, and every request (only the page itself is let through; anything else is aborted).
/// </summary>
internal sealed class OpenedPage : IAsyncDisposable
{
    private readonly IBrowserContext context;
    private readonly string directory;

    private OpenedPage(IBrowserContext context, IPage page, string directory, string url)
    {
        this.context = context;
        Page = page;
        this.directory = directory;
        Url = url;
    }

    public IPage Page { get; }

    public string Url { get; }

    public List<string> Console { get; } = [];

    public List<string> Errors { get; } = [];

    public List<string> Dialogs { get; } = [];

    public List<string> Requests { get; } = [];

    public static async Task<OpenedPage> OpenAsync(IBrowser browser, Plan plan, HealthHistory history, int width = 1440, int height = 900, string fragment = "")
    {
        var directory = Directory.CreateTempSubdirectory("fleet-").FullName;
        var file = Path.Combine(directory, "fleet.html");
        await File.WriteAllTextAsync(file, FleetHtmlView.Render(plan, history, SampleFleet.At));
        var url = new Uri(file).AbsoluteUri;
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var opened = new OpenedPage(context, page, directory, url);
        page.Console += (_, m) => opened.Console.Add($"{m.Type}: {m.Text}");
        page.PageError += (_, e) => opened.Errors.Add(e);
        page.Dialog += async (_, d) =>
        {
            opened.Dialogs.Add($"{d.Type}: {d.Message}");
            await d.DismissAsync();
        };
        await page.RouteAsync("**/*", async route =>
        {
            opened.Requests.Add(route.Request.Url);
            if (route.Request.Url == url) await route.ContinueAsync();
            else await route.AbortAsync();
        });
        await page.GotoAsync(url + fragment, new() { WaitUntil = WaitUntilState.Load });
        return opened;
    }

    /// <summary>Full-page screenshot into the run's artifacts directory, with the page beside it to open; returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(Chromium.Screenshots, name + ".png");
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        File.Copy(Path.Combine(directory, "fleet.html"), Path.Combine(Chromium.Screenshots, name + ".html"), overwrite: true);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await context.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }
}
