using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Resources;
using Reconciler.Core.Specs;
using Reconciler.Core.Secrets;
using Reconciler.Specs.Files;
using Reconciler.Specs.Inventory;
using Reconciler.Specs.Resources;
using Reconciler.Specs.Schema;
using Reconciler.Specs.Templates;

namespace Reconciler.Specs;

/// <summary>
/// Joins valid resource files to the inventory's hosts: resolves targets, checks and renders templates per host, and
/// finds resources declared twice for one host. Every render draws on one <see cref="TemplateRunBudget"/>; the values a
/// render substitutes (a secret, or its hash) join <paramref name="sensitiveValues"/> for the redactor.
/// </summary>
internal sealed class DesiredStateAssembler(
    SpecsRoot root, DisplayPaths paths, List<Diagnostic> diagnostics, SecretStore secrets, TemplateRunBudget budget, ICollection<string> sensitiveValues, KindCatalog kinds)
{
    private readonly TemplateCatalog _templates = new(root.Tree, path => paths.Of(root.Full(path)), diagnostics);
    private readonly Dictionary<TemplateRenderError, List<HostSpec>> _renderErrors = new();

    // A template renders the same for a host however often it is declared: once is enough, and spends budget once.
    private readonly Dictionary<(CompiledTemplate, string), (string? Content, TemplateRenderError? Error)> _rendered = new();

    /// <summary>Each host's resources in file order, then declaration order; null when there is no valid inventory.</summary>
    public IReadOnlyList<HostDesiredState>? Assemble(HostInventory? inventory, IReadOnlyList<ResourceFile> resourceFiles)
    {
        // Templates are checked even without an inventory, so their own mistakes are reported in the same run.
        var compiled = new Dictionary<ResourceDeclaration, CompiledTemplate?>(ReferenceEqualityComparer.Instance);
        foreach (var declaration in resourceFiles.SelectMany(f => f.Declarations).Where(d => d.Template is not null))
        {
            compiled[declaration] = _templates.Get(declaration.Template!);
        }

        if (inventory is null)
        {
            return null;
        }

        var targeted = resourceFiles.Where(f => TargetExists(f.Target, inventory)).ToList();
        var blocked = ReportUnknownVariables(inventory, targeted, compiled);
        var duplicates = new DuplicateTracker(kinds);
        var crossKind = new CrossKindChecks(kinds);
        var states = new List<HostDesiredState>();
        foreach (var host in inventory.Hosts)
        {
            var resources = new List<Resource>();
            foreach (var declaration in targeted.Where(f => f.Target.Matches(host)).SelectMany(f => f.Declarations))
            {
                var resource = Realize(declaration, host, compiled, blocked);
                if (resource is not null)
                {
                    resources.Add(resource);
                }
            }

            crossKind.Check(host, resources);

            // Each kind joins the host's declarations of it (firewall sections into sets and chains, ARP before VIPs);
            // the duplicate check sees what will be planned, so two sections' sets of one name are caught too.
            IReadOnlyList<Resource> composed = resources;
            foreach (var kind in kinds.All)
            {
                composed = kind.Compose(composed);
            }

            foreach (var resource in composed)
            {
                duplicates.Add(host, resource);
            }

            // A monitored kind's resources (health rules, mail graphs) are watched by drift, never planned or applied.
            states.Add(new HostDesiredState(host, composed.Where(r => !kinds.Of(r).Monitors).ToList())
            {
                Monitors = composed.Where(r => kinds.Of(r).Monitors).ToList(),
            });
        }

        diagnostics.AddRange(duplicates.Diagnostics());
        diagnostics.AddRange(crossKind.Diagnostics());
        diagnostics.AddRange(_renderErrors.Select(e =>
            Diagnostic.Error(e.Key.Code, $"{e.Key.Message} (rendering for {HostList(e.Value)})", e.Key.Location)));
        return states;
    }

    private bool TargetExists(ResourceTarget target, HostInventory inventory)
    {
        var (known, names) = target.Host is not null
            ? (inventory.Hosts.Any(h => h.Name == target.Host), inventory.Hosts.Select(h => h.Name))
            : (inventory.Groups.Contains(target.Group!), inventory.Groups);
        if (!known && inventory.Bastions.FirstOrDefault(b => b.Name == target.Host) is { } bastion)
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.UnknownTarget,
                $"target {target} is marked bastion_only in the inventory ({inventory.DisplayPath}): it is only a way to other hosts and is not managed",
                target.Location));
        }
        else if (!known)
        {
            var name = target.Host ?? target.Group!;
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.UnknownTarget,
                $"target {target} is not declared in the inventory ({inventory.DisplayPath}){DidYouMean.Suggest(name, names)}",
                target.Location));
        }

        return known;
    }

    /// <summary>
    /// Checks every variable a template reads against each host it renders for, reporting once per read: as unknown
    /// when no host defines it, naming the hosts otherwise. Returns the (template, host) pairs not to render.
    /// </summary>
    private HashSet<(CompiledTemplate, string)> ReportUnknownVariables(
        HostInventory inventory,
        IReadOnlyList<ResourceFile> targeted,
        Dictionary<ResourceDeclaration, CompiledTemplate?> compiled)
    {
        var blocked = new HashSet<(CompiledTemplate, string)>();
        var users = new Dictionary<CompiledTemplate, List<HostSpec>>(ReferenceEqualityComparer.Instance);
        foreach (var file in targeted)
        {
            foreach (var declaration in file.Declarations)
            {
                if (declaration.Template is null || compiled[declaration] is not { } template)
                {
                    continue;
                }

                var hosts = users.TryGetValue(template, out var list) ? list : users[template] = [];
                hosts.AddRange(inventory.Hosts.Where(h => file.Target.Matches(h) && !hosts.Contains(h)).ToList());
            }
        }

        foreach (var (template, hosts) in users)
        {
            foreach (var read in template.SecretReads.Where(r => !secrets.TryGet(r.Name, out _)))
            {
                blocked.UnionWith(hosts.Select(h => (template, h.Name)));
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.SecretNotSet, secrets.UnusableMessage(read.Name), read.Location));
            }

            foreach (var read in template.VariableReads)
            {
                var missing = hosts.Where(h => read.Name != InventoryReader.HostVariable && !h.Variables.ContainsKey(read.Name)).ToList();
                if (missing.Count == 0)
                {
                    continue;
                }

                blocked.UnionWith(missing.Select(h => (template, h.Name)));
                var message = missing.Count == hosts.Count
                    ? $"unknown variable '{read.Name}'{DidYouMean.Suggest(read.Name, KnownNames(hosts))}"
                    : $"variable '{read.Name}' is not defined for {HostList(missing)}";
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnknownVariable, message, read.Location));
            }
        }

        return blocked;
    }

    private static IEnumerable<string> KnownNames(IEnumerable<HostSpec> hosts) =>
        hosts.SelectMany(h => h.Variables.Keys).Append(InventoryReader.HostVariable).Distinct();

    internal static string HostList(IReadOnlyList<HostSpec> hosts) =>
        (hosts.Count == 1 ? "host " : "hosts ") + string.Join(", ", hosts.Select(h => $"'{h.Name}'"));

    private Resource? Realize(
        ResourceDeclaration declaration,
        HostSpec host,
        Dictionary<ResourceDeclaration, CompiledTemplate?> compiled,
        HashSet<(CompiledTemplate, string)> blocked)
    {
        if (declaration.Template is null)
        {
            return declaration.Resource;
        }

        if (compiled[declaration] is not { } template || blocked.Contains((template, host.Name)))
        {
            return null;
        }

        if (!_rendered.TryGetValue((template, host.Name), out var render))
        {
            var (rendered, placed, renderError) = TemplateRenderer.Render(template, host, secrets, budget);
            foreach (var value in placed)
            {
                sensitiveValues.Add(value);
            }

            _rendered[(template, host.Name)] = render = (rendered, renderError);
        }

        var (content, error) = render;
        if (error is not null)
        {
            var hosts = _renderErrors.TryGetValue(error, out var list) ? list : _renderErrors[error] = [];
            if (!hosts.Contains(host))
            {
                hosts.Add(host);
            }

            return null;
        }

        // A file rendered from a secret is sensitive whatever its declaration says: its content never shows in a diff.
        var file = (ITemplatedResource)declaration.Resource;
        return file.WithRenderedContent(content ?? "", file.Sensitive || template.SecretReads.Count > 0);
    }
}
