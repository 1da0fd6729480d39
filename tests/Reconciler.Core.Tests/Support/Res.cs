using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources.ConfigLines;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Sysctl;

namespace Reconciler.Core.Tests.Support;

/// <summary>Terse builders for resources as the spec reader would produce them.</summary>
internal static class Res
{
    public static readonly SourceLocation At = new("hosts/web.yaml", 3, 5);

    public static SysctlResource Sysctl(string key, string value) => new(key, value, At);

    public static FileResource File(
        string path,
        string? content = null,
        FileType type = FileType.File,
        Ensure ensure = Ensure.Present,
        WhenMissing? whenMissing = null,
        string? owner = null,
        string? group = null,
        string? mode = null,
        string? attributes = null,
        bool sensitive = false) =>
        new(path, type, ensure,
            whenMissing ?? (content is not null || type == FileType.Directory ? WhenMissing.Create : WhenMissing.Fail),
            content, owner, group, mode, attributes, sensitive, At);

    public static ConfigLineResource Line(string path, string key, string value, string separator = " ") =>
        new(path, key, value, separator, At);
}
