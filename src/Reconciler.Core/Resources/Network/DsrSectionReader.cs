using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources.Network;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Network;

/// <summary>
/// Reads a schema-valid <c>dsr:</c> section: the ARP settings (one resource) and the loopback VIPs (one each).
/// Two VIPs with one address are reported by the duplicate check like any other resource.
/// </summary>
internal static class DsrSectionReader
{
    /// <summary>The seed's values: arp_ignore 1 and arp_announce 2, on conf.all and conf.lo.</summary>
    public static readonly IReadOnlyList<string> DefaultInterfaces = ["all", "lo"];

    public static IReadOnlyList<ResourceDeclaration> Read(SpecMapping dsr, ICollection<Diagnostic> diagnostics)
    {
        var declarations = new List<ResourceDeclaration>();
        if (dsr.Mapping("arp") is { } arp)
        {
            declarations.Add(new ResourceDeclaration(ReadArp(arp, diagnostics), null));
        }

        var labels = new Dictionary<string, SpecScalar>(StringComparer.Ordinal);
        foreach (var item in dsr.Items("vips").Cast<SpecMapping>())
        {
            var address = item.Scalar("address")!;
            var label = item.Scalar("label");
            if (DsrRules.VipProblem(address.RawText, out var canonical) is { } problem)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidAddress, problem, address.Location));
                continue;
            }

            var vip = new LoopbackVipResource(canonical, label?.RawText, ArpDeclared: false, item.Location);
            diagnostics.AddIfProblem(DiagnosticCodes.InvalidValue, DsrRules.LabelProblem(vip.Label, vip.IsIPv6), (label ?? address).Location);

            // One label is one alias and one persisted file; two VIPs on it would overwrite each other's file.
            if (label is not null && !labels.TryAdd(label.RawText, label))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DuplicateResource,
                    $"label '{label.RawText}' is already used by another VIP at {labels[label.RawText].Location}", label.Location));
            }

            declarations.Add(new ResourceDeclaration(vip, null));
        }

        return declarations;
    }

    private static ArpSettingsResource ReadArp(SpecMapping arp, ICollection<Diagnostic> diagnostics)
    {
        var interfaces = arp["interfaces"] is SpecSequence listed
            ? listed.Items.Cast<SpecScalar>().ToList()
            : null;
        foreach (var name in interfaces ?? [])
        {
            diagnostics.AddIfProblem(DiagnosticCodes.InvalidValue, DsrRules.InterfaceProblem(name.RawText), name.Location);
        }

        return new ArpSettingsResource(
            arp.Scalar("ignore")?.Value is long ignore ? (int)ignore : 1,
            arp.Scalar("announce")?.Value is long announce ? (int)announce : 2,
            interfaces?.Select(s => s.RawText).ToList() ?? DefaultInterfaces,
            arp.Location);
    }
}
