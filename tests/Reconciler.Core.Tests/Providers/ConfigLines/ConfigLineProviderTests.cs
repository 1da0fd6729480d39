using Reconciler.Core.Engine;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.ConfigLines;
using Reconciler.Core.Tests.Support;
using static Reconciler.Core.Tests.Support.ProviderHarness;

namespace Reconciler.Core.Tests.Providers.ConfigLines;

/// <summary>
/// Fact lines are written exactly as ConfigLineProvider's read script prints them:
/// <c>F\tI</c> when the file exists, then <c>V\tI\tvalue</c> for each uncommented line setting the key, in file order.
/// </summary>
public class ConfigLineProviderTests
{
    private readonly IResourceProvider _provider = new ConfigLineProvider();
    private static readonly ConfigLineResource Umask = Res.Line("/etc/login.defs", "UMASK", "027");

    [Fact]
    public void Config_line_set_exactly_once_to_the_declared_value_is_a_no_op()
    {
        Assert.Equal(ChangeAction.NoOp, Diff(_provider, Umask, "F\t0", "V\t0\t027").Action);
    }

    [Fact]
    public void Config_line_with_another_value_plans_an_update_from_old_to_new()
    {
        var change = Diff(_provider, Umask, "F\t0", "V\t0\t022");

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal([AttributeChange.Of(new("UMASK"), "022", "027")], change.Attributes);
        Assert.Null(change.Note);
    }

    [Fact]
    public void Config_line_set_twice_plans_an_update_with_a_note_even_when_both_values_match()
    {
        var change = Diff(_provider, Umask, "F\t0", "V\t0\t027", "V\t0\t027");

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal("set 2 times; later duplicates are removed", change.Note);
        Assert.Equal([AttributeChange.Of(new("UMASK"), "027, 027", "027")], change.Attributes);
    }

    [Fact]
    public void Config_line_absent_from_an_existing_file_plans_a_create()
    {
        var change = Diff(_provider, Umask, "F\t0");

        Assert.Equal(ChangeAction.Create, change.Action);
        Assert.Equal([AttributeChange.Of(new("UMASK"), null, "027")], change.Attributes);
    }

    [Fact]
    public void Config_line_in_a_missing_file_is_blocked_not_created()
    {
        var change = Diff(_provider, Umask);

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Contains("/etc/login.defs does not exist", change.Note);
    }

    [Fact]
    public void Config_line_value_containing_tabs_is_parsed_whole()
    {
        var r = Res.Line("/etc/x.conf", "Banner", "a\tb c");

        Assert.Equal(ChangeAction.NoOp, Diff(_provider, r, "F\t0", "V\t0\ta\tb c").Action);
    }

    [Fact]
    public void Config_line_facts_for_several_resources_are_matched_by_index()
    {
        IReadOnlyList<Reconciler.Core.Model.Resource> resources =
            [Res.Line("/etc/a", "A", "1"), Res.Line("/etc/b", "B", "2"), Res.Line("/etc/c", "C", "3")];

        var observed = ProviderHarness.Parse(_provider, resources, ["F\t0", "V\t0\t1", "F\t2", "V\t2\tx", "V\t2\ty"]).Cast<ConfigLineObserved>().ToList();

        Assert.True(observed[0].FileExists);
        Assert.Equal(["1"], observed[0].Values);
        Assert.False(observed[1].FileExists);
        Assert.Empty(observed[1].Values);
        Assert.True(observed[2].FileExists);
        Assert.Equal(["x", "y"], observed[2].Values);
    }
}
