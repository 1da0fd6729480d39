using Reconciler.Core.Resources;

namespace Reconciler.Cli.Features;

/// <summary>
/// Writes (or checks) the committed schema files that are generated from the resource kinds: resources.schema.json
/// from the kinds' fragments, and the resource kind enum of plan.schema.json. Editors and the plan's consumers read
/// those files; the binary itself validates with the generated text, so the two cannot drift apart unnoticed.
/// </summary>
internal sealed class SchemasFeature(Terminal terminal, KindCatalog kinds)
{
    public int Run(string directory, bool check)
    {
        var planPath = Path.Combine(directory, ResourceSchema.PlanFileName);
        if (!File.Exists(planPath))
        {
            terminal.Error.WriteLine($"error: {planPath} not found; --dir names the repository's schemas directory");
            return ExitCodes.Error;
        }

        var generated = new Dictionary<string, string>
        {
            [Path.Combine(directory, ResourceSchema.ResourcesFileName)] = ResourceSchema.Resources(kinds.All),
            [planPath] = ResourceSchema.Plan(File.ReadAllText(planPath), kinds.All),
        };

        var stale = generated.Where(g => !File.Exists(g.Key) || File.ReadAllText(g.Key) != g.Value).Select(g => g.Key).ToList();
        if (check)
        {
            foreach (var path in stale)
            {
                terminal.Error.WriteLine($"{path}: differs from the schema generated from the resource kinds; run: reconciler schemas --dir {directory}");
            }

            if (stale.Count == 0) terminal.Out.WriteLine($"Schemas in {directory} match the resource kinds.");
            return stale.Count == 0 ? ExitCodes.Ok : ExitCodes.Error;
        }

        foreach (var path in stale)
        {
            // A temp file renamed over the old one: an editor never reads half a schema.
            var temp = path + ".tmp";
            File.WriteAllText(temp, generated[path]);
            File.Move(temp, path, overwrite: true);
            terminal.Out.WriteLine($"wrote {path}");
        }

        if (stale.Count == 0) terminal.Out.WriteLine($"Schemas in {directory} already match the resource kinds.");
        return ExitCodes.Ok;
    }
}
