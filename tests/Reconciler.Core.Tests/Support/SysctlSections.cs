using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Tests.Support;

/// <summary>
/// Sysctl-reading kinds' facts written as one list and answered in the sections the host prints them in: persisted
/// assignments (<c>P</c>, <c>Q</c>), live values (<c>L</c>, <c>U</c>), and the kind's own records (every other line).
/// </summary>
internal static class SysctlSections
{
    public static FactAnswers Of(IResourceProvider provider, IReadOnlyList<Resource> resources, IReadOnlyList<string> lines) =>
        ProviderHarness.Answers(provider, resources,
            (SysctlFacts.PersistedUnit, lines.Where(l => Tag(l) is "P" or "Q" or "K" or "N").ToList()),
            (SysctlFacts.LiveUnit, lines.Where(l => Tag(l) is "L" or "U").ToList()),
            (provider.Kind, lines.Where(l => Tag(l) is not ("P" or "Q" or "K" or "N" or "L" or "U")).ToList()));

    public static IReadOnlyList<object> Parse(IResourceProvider provider, IReadOnlyList<Resource> resources, params string[] lines) =>
        provider.ParseFacts(resources, Of(provider, resources, lines));

    public static object Observe(IResourceProvider provider, Resource resource, params string[] lines) =>
        Assert.Single(Parse(provider, [resource], lines));

    public static ResourceChange Diff(IResourceProvider provider, Resource resource, params string[] lines) =>
        provider.Diff(resource, Observe(provider, resource, lines));

    private static string Tag(string line) => line.Split('\t')[0];
}
