using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Resources;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Permissions;

namespace Reconciler.Core.Tests.Kinds;

/// <summary>
/// A check across kinds is a hook on the kind that owns the rule (the permissions kind: a file mode whose bits a
/// permissions resource clears), given one host's resources; the spec reader runs every kind's.
/// </summary>
public sealed class CrossKindCheckTests
{
    private static readonly SourceLocation Item = new("files.yaml", 3, 5);
    private static readonly SourceLocation ModeAt = new("files.yaml", 6, 11);
    private static readonly SourceLocation PermissionsAt = new("perms.yaml", 4, 5);

    private static FileResource File(string mode, SourceLocation? modeSource, Ensure ensure = Ensure.Present) =>
        new("/srv/app/run.sh", FileType.File, ensure, WhenMissing.Create, "x", null, null, mode, null, false, Item) { ModeSource = modeSource };

    private static PermissionsResource ClearOtherWrite() => new("/srv/app", true, "o-w", [], PermissionsAt);

    private static IEnumerable<Diagnostic> CheckAll(params Resource[] resources) =>
        ResourceKinds.All.SelectMany(kind => kind.Check(resources));

    [Fact]
    public void A_file_mode_with_a_bit_a_permissions_resource_clears_is_reported_at_the_mode()
    {
        var problem = Assert.Single(CheckAll(File("0666", ModeAt), ClearOtherWrite()));

        Assert.Equal(
            Diagnostic.Error(DiagnosticCodes.PermissionConflict, $"mode 0666 conflicts with permissions o-w on /srv/app declared at {PermissionsAt}", ModeAt),
            problem);
    }

    [Fact]
    public void A_mode_the_permissions_allow_an_absent_file_or_no_permissions_are_no_problem()
    {
        Assert.Empty(CheckAll(File("0644", ModeAt), ClearOtherWrite()));
        Assert.Empty(CheckAll(File("0666", ModeAt, Ensure.Absent), ClearOtherWrite()));
        Assert.Empty(CheckAll(File("0666", ModeAt)));
    }

    [Fact]
    public void The_check_is_the_permissions_kinds_and_the_other_kinds_have_none()
    {
        Resource[] conflicting = [File("0666", ModeAt), ClearOtherWrite()];

        Assert.Single(new PermissionsKind().Check(conflicting));
        Assert.All(ResourceKinds.All.Where(k => k is not PermissionsKind), k => Assert.Empty(k.Check(conflicting)));
    }
}
