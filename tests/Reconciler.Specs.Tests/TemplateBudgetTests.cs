using System.Text;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Secrets;
using Reconciler.Specs.Templates;

namespace Reconciler.Specs.Tests;

/// <summary>
/// Template work is bounded for the whole run as well as per render (the class: many renders adding up to what one may
/// not do). Measured by counting — steps, characters built, and a clock that advances by a fixed amount per reading —
/// never by waiting.
/// </summary>
public sealed class TemplateBudgetTests : IDisposable
{
    private readonly SpecDirectory _specs = new SpecDirectory().WithDefaultInventory();

    public void Dispose() => _specs.Dispose();

    /// <summary>A clock that moves one millisecond each time it is read: time spent is the number of steps taken.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks += TimeSpan.TicksPerMillisecond;
    }

    /// <summary><paramref name="count"/> declarations for web2, each of its own copy of <paramref name="template"/>.</summary>
    private SpecLoadResult LoadCopies(string template, int count, TemplateLimits limits, TimeProvider? clock = null, bool oneTemplate = false)
    {
        var yaml = new StringBuilder("kind: resources\ntarget: { host: web2 }\nfiles:\n");
        for (var i = 0; i < count; i++)
        {
            var name = oneTemplate ? "t.sbn" : $"t{i:000}.sbn";
            _specs.Write(name, template);
            yaml.Append($"  - path: /etc/out{i}\n    template: {name}\n");
        }

        _specs.Write("r.yaml", yaml.ToString());
        return new SpecLoader(SecretStore.Empty, limits, clock ?? TimeProvider.System).Load(_specs.Root);
    }

    private static string Text(SpecLoadResult result) => string.Join("\n", result.Diagnostics);

    [Fact]
    public void A_template_keeping_thousands_of_megabyte_strings_stops_at_the_text_limit_of_one_render()
    {
        // The attack that crashed validate: 3×999 strings of 1 MB kept in arrays (6 GB if it ran).
        const string template = """
            {{ a = []; b = []; c = [] }}
            {{ for i in 1..999 }}{{ a = array.add a ("" | string.pad_left 1000000) }}{{ end }}
            {{ for i in 1..999 }}{{ b = array.add b ("" | string.pad_left 1000000) }}{{ end }}
            {{ for i in 1..999 }}{{ c = array.add c ("" | string.pad_left 1000000) }}{{ end }}
            """;

        var result = LoadCopies(template, 1, TemplateLimits.Default);

        Assert.Null(result.State);
        Assert.Contains($"{_specs.Path("t000.sbn")}:2:", Text(result));
        Assert.Contains($"error RC3016: the template built more than {TemplateLimits.Default.TextPerRender} characters of text and list items in one render", Text(result));
    }

    [Fact]
    public void Text_built_by_many_renders_adds_up_to_the_run_limit_and_later_renders_are_refused_unrun()
    {
        // Each render builds 30 strings of 100 characters (3,000): under the render limit, but three pass the run's.
        var limits = TemplateLimits.Default with { TextPerRender = 5_000, TextPerRun = 8_000 };
        const string template = "{{ a = [] }}{{ for i in 1..30 }}{{ a = array.add a (\"\" | string.pad_left 100) }}{{ end }}ok\n";

        var result = LoadCopies(template, 5, limits);

        var text = Text(result);
        Assert.DoesNotContain("t000.sbn", text);
        Assert.DoesNotContain("t001.sbn", text);
        Assert.Contains($"{_specs.Path("t002.sbn")}:1:", text);
        Assert.Contains("error RC3016: this run's templates together passed their budget of 8000 characters of text and list items built (for all templates and hosts of one run)", text);
        Assert.Contains($"{_specs.Path("t003.sbn")}:1:1: error RC3016: not rendered: this run's templates already used up their budget of 8000 characters of text and list items built", text);
        Assert.Contains($"{_specs.Path("t004.sbn")}:1:1: error RC3016: not rendered:", text);
    }

    [Fact]
    public void Steps_of_many_renders_add_up_to_the_run_limit()
    {
        var limits = TemplateLimits.Default with { StepsPerRun = 25_000 };
        const string template = "{{ for i in 1..999 }}{{ x = i + 1 }}{{ end }}\n";

        var result = LoadCopies(template, 20, limits);

        var text = Text(result);
        Assert.Contains("error RC3016: this run's templates together passed their budget of 25000 evaluation steps", text);
        var refused = result.Diagnostics.Count(d => d.Message.StartsWith("not rendered:", StringComparison.Ordinal));
        Assert.InRange(refused, 10, 19);
    }

    [Fact]
    public void A_slow_template_declared_two_hundred_times_spends_the_run_time_once_and_the_rest_is_refused()
    {
        // 200 copies of a template that takes 600 steps (600 ms on this clock): the run's 1 s lets one finish and stops
        // the second; the other 198 are refused without running. Per render each is well under its 2 s.
        var clock = new SteppingClock();
        var limits = TemplateLimits.Default with { TimePerRun = TimeSpan.FromSeconds(1) };
        const string template = "{{ for i in 1..200 }}{{ x = i }}{{ end }}\n";

        var result = LoadCopies(template, 200, limits, clock);

        var text = Text(result);
        Assert.DoesNotContain("t000.sbn", text);
        Assert.Contains($"{_specs.Path("t001.sbn")}:1:", text);
        Assert.Contains("this run's templates together passed their budget of 1 s of rendering (for all templates and hosts of one run)", text);
        Assert.Equal(198, result.Diagnostics.Count(d => d.Message.StartsWith("not rendered: this run's templates already used up their budget of 1 s of rendering", StringComparison.Ordinal)));
        Assert.True(clock.GetTimestamp() < TimeSpan.TicksPerSecond * 3, "the refused renders did not run");
    }

    [Fact]
    public void One_template_declared_two_hundred_times_for_a_host_renders_once()
    {
        // Rendering twice would pass the run's steps; the same template for the same host is rendered once.
        var limits = TemplateLimits.Default with { StepsPerRun = 5_000 };
        const string template = "{{ for i in 1..999 }}{{ x = i }}{{ end }}{{ host.name }}\n";

        var result = LoadCopies(template, 200, limits, oneTemplate: true);

        Assert.False(result.HasErrors, Text(result));
        Assert.Equal(200, result.State!.Hosts.Single(h => h.Host.Name == "web2").Resources.OfType<FileResource>().Count(f => f.Content == "web2\n"));
    }

    [Fact]
    public void A_regular_expression_in_every_step_cannot_outlast_the_render_time()
    {
        // The clock is read every step: read only every thousandth step (as before), this render would see a few
        // milliseconds pass on this clock and run on, while each step could be a slow regular expression.
        var clock = new SteppingClock();
        const string template = "{{ for i in 1..999 }}{{ \"aaaa\" | regex.match \"a+\" }}{{ end }}\n";

        var result = LoadCopies(template, 1, TemplateLimits.Default with { TimePerRender = TimeSpan.FromMilliseconds(300) }, clock);

        Assert.Contains("error RC3016: rendering took longer than 0.3 s", Text(result));
    }
}
