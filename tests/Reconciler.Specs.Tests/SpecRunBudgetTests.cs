using System.Text;

namespace Reconciler.Specs.Tests;

/// <summary>
/// Issue 15, class "spec size is bounded per run, not per file": the number of spec files, their total bytes, the
/// declarations and the resources they realize (declarations times targeted hosts) each have a run-wide limit, and the
/// error names the file and line that crossed it. Honest specs are far below every limit.
/// </summary>
public sealed class SpecRunBudgetTests : IDisposable
{
    private readonly SpecDirectory _specs = new SpecDirectory().WithDefaultInventory();

    public void Dispose() => _specs.Dispose();

    [Fact]
    public void More_spec_files_than_one_run_reads_are_refused_at_the_first_file_past_the_limit()
    {
        for (var i = 0; i < SpecRunBudget.MaxFiles; i++)
        {
            _specs.Write($"f/{i:0000}.yaml", "kind: resources\ntarget: { host: web1 }\n");
        }

        var diagnostics = _specs.Diagnostics();

        Assert.Contains($"{_specs.Path("inventory.yaml")}:1:1: error RC4001: the specs hold {SpecRunBudget.MaxFiles + 1} spec files; one run reads at most {SpecRunBudget.MaxFiles}", diagnostics);
        Assert.Null(_specs.Load().State);
    }

    [Fact]
    public void Specs_totalling_more_bytes_than_one_run_reads_are_refused_at_the_file_that_crosses_the_limit()
    {
        // Nine files just under the 1 MiB per-file limit: each alone is valid, together they pass the run's 8 MiB
        var comment = "# " + new string('x', 1000) + "\n";
        var body = new StringBuilder("kind: resources\ntarget: { host: web1 }\n");
        while (body.Length + comment.Length < 1024 * 1024 - 100) body.Append(comment);
        for (var i = 1; i <= 9; i++)
        {
            _specs.Write($"padded-{i}.yaml", body.ToString());
        }

        var diagnostics = _specs.Diagnostics();

        Assert.Contains($"{_specs.Path("padded-9.yaml")}:1:1: error RC4001: this file brings the specs to", diagnostics);
        Assert.Contains($"one run reads at most {SpecRunBudget.MaxBytes} bytes (8 MiB) of specs", diagnostics);
        Assert.Single(_specs.Load().Diagnostics);
    }

    [Fact]
    public void Declarations_times_the_hosts_a_group_targets_are_bounded_before_anything_is_realized()
    {
        // 12,500 declarations (under the declaration limit) for a group of four hosts: 50,000 resources is the limit, one more is refused
        var inventory = new StringBuilder("kind: inventory\ngroups:\n  fleet: {}\nhosts:\n");
        for (var h = 1; h <= 4; h++)
        {
            inventory.Append($"  h{h}:\n    address: 10.0.0.{h}\n    identity_file: /keys/id\n    host_key: ssh-ed25519 KEY\n    groups: [fleet]\n");
        }

        _specs.Write("inventory.yaml", inventory.ToString());
        var yaml = new StringBuilder("kind: resources\ntarget: { group: fleet }\nsysctls:\n");
        for (var i = 0; i < SpecRunBudget.MaxResources / 4; i++) yaml.Append($"  - key: net.ipv4.conf.x{i}.rp_filter\n    value: 1\n");
        _specs.Write("a.yaml", yaml.ToString());
        Assert.Empty(_specs.Diagnostics());

        _specs.Write("b.yaml", "kind: resources\ntarget: { host: h1 }\nsysctls:\n  - key: net.ipv4.ip_forward\n    value: 1\n");
        var diagnostics = _specs.Diagnostics();

        Assert.Equal($"{_specs.Path("b.yaml")}:2:17: error RC4001: this file's 1 declarations for 1 host(s) bring the run to {SpecRunBudget.MaxResources + 1} resources; " +
                     $"one run plans at most {SpecRunBudget.MaxResources} (declarations times the hosts each targets)", diagnostics);
    }

    [Fact]
    public void The_sample_specs_are_far_below_every_limit()
    {
        var root = Reconciler.Tests.Shared.TestRepository.SampleSpecs;
        var files = Directory.EnumerateFiles(root, "*.y*ml", SearchOption.AllDirectories).ToList();
        Assert.InRange(files.Count, 1, SpecRunBudget.MaxFiles / 10);
        Assert.InRange(files.Sum(f => new FileInfo(f).Length), 1, SpecRunBudget.MaxBytes / 10);
    }
}
