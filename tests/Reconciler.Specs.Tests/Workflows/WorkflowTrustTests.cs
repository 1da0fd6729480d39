namespace Reconciler.Specs.Tests.Workflows;

/// <summary>
/// The workflows' trust boundary (issue 9, item 1): the plan never builds or runs the pull request's code, secrets
/// live in protected environments, forks plan only with a maintainer's label, and every action is pinned. The same
/// checks flag a copy of the plan workflow as it was before (Fixtures/insecure-plan.yml) and mutations of today's files,
/// so they are shown to fail.
/// </summary>
public sealed class WorkflowTrustTests
{
    private static readonly string Root = Reconciler.Tests.Shared.TestRepository.Root;

    private static WorkflowFile Workflow(string name) => WorkflowFile.Read(Path.Combine(Root, ".github", "workflows", name));

    private static readonly string[] All = ["plan.yml", "apply.yml", "drift.yml", "ci.yml"];

    /// <summary>Every check over one workflow file, as the tests below apply them to the real files.</summary>
    private static List<string> Violations(WorkflowFile workflow) =>
    [
        .. TrustBoundary.HeadExecution(workflow),
        .. TrustBoundary.UnpinnedActions(workflow),
        .. TrustBoundary.BroadPermissions(workflow),
        .. TrustBoundary.SecretsOutsideEnvironments(workflow),
    ];

    [Fact]
    public void Every_workflow_keeps_the_trust_boundary()
    {
        var violations = All.SelectMany(name => Violations(Workflow(name))).ToList();

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void The_plan_runs_on_pull_request_target_with_the_head_as_data_in_its_own_directory()
    {
        var plan = Workflow("plan.yml");

        Assert.Equal(["pull_request_target"], plan.Triggers);
        foreach (var job in new[] { plan.Job("validate"), plan.Job("plan") })
        {
            var checkouts = job.Steps.Where(s => s.IsCheckout).ToList();
            Assert.Equal(2, checkouts.Count);
            Assert.Null(checkouts[0].With("ref")); // the base branch, whose reconciler is built
            Assert.Equal("${{ github.event.pull_request.head.sha }}", checkouts[1].With("ref"));
            Assert.Equal("pr", checkouts[1].With("path"));
            Assert.All(checkouts, c => Assert.Equal("false", c.With("persist-credentials")));
            var install = job.Steps.Single(s => s.Uses == "./");
            Assert.True(install.Number < checkouts[1].Number, "the base branch's reconciler is installed before the head arrives");
            Assert.Null(install.With("command")); // the action only installs; nothing runs until the head is data in pr/
        }

        Assert.Contains("reconciler plan --repo pr ", plan.Job("plan").Steps.Single(s => s.Describe.Contains("(Plan)", StringComparison.Ordinal)).Run);
        Assert.Contains("reconciler validate --secrets-by-name --specs pr/specs", plan.Job("validate").Steps.Last().Run);
    }

    [Fact]
    public void The_validate_job_gets_no_secret_and_fork_plans_wait_for_the_label_that_a_new_push_removes()
    {
        var plan = Workflow("plan.yml");

        Assert.Empty(TrustBoundary.SecretsIn(plan, plan.Job("validate")));
        Assert.Equal("contents: read", Permissions(plan.Job("validate")));
        Assert.Equal("reconciler-plan", plan.Job("plan").Environment);

        // Only a branch of this repository plans without the label; a fork only on the label's own event.
        var condition = plan.Job("plan").Node.Child("if").Scalar()!;
        Assert.Contains("github.event.pull_request.head.repo.full_name == github.repository && github.event.action != 'labeled'", condition);
        Assert.Contains("github.event.action == 'labeled' && github.event.label.name == 'reconciler:plan'", condition);

        var unapprove = plan.Job("unapprove");
        var trigger = unapprove.Node.Child("if").Scalar()!;
        Assert.Contains("head.repo.full_name != github.repository", trigger);
        Assert.Contains("'synchronize'", trigger);
        Assert.Contains("labels/reconciler:plan", unapprove.Steps.Single().Run);
        Assert.Contains("--method DELETE", unapprove.Steps.Single().Run);
        Assert.Equal("pull-requests: write", Permissions(unapprove));
    }

    /// <summary>
    /// Issue 15, item 6: hosts a pull request adds are contacted only with a maintainer's approval. The one place the
    /// plan passes --contact-new-hosts is the plan step, and only when the event is the label reconciler:plan itself.
    /// </summary>
    private static List<string> NewHostContact(WorkflowFile workflow)
    {
        var violations = new List<string>();
        foreach (var job in workflow.Jobs)
        {
            foreach (var step in job.Steps.Where(s => s.Run?.Contains("reconciler plan", StringComparison.Ordinal) == true))
            {
                var approved = (step.Node.Child("env") as YamlDotNet.RepresentationModel.YamlMappingNode)?.Child("APPROVED").Scalar();
                var run = step.Run!;
                if (run.Contains("--contact-new-hosts", StringComparison.Ordinal) && !run.Contains("if [ \"$APPROVED\" = true ]; then contact=--contact-new-hosts; fi", StringComparison.Ordinal))
                {
                    violations.Add($"{workflow.Name}: {step.Describe}: passes --contact-new-hosts without the approval check");
                }

                if (run.Contains("$contact", StringComparison.Ordinal) && approved != "${{ github.event.action == 'labeled' && github.event.label.name == 'reconciler:plan' }}")
                {
                    violations.Add($"{workflow.Name}: {step.Describe}: APPROVED is not the event of the label reconciler:plan");
                }

                if (run.Split('\n').Any(line => line.Contains("reconciler plan", StringComparison.Ordinal) && line.Contains("--contact-new-hosts", StringComparison.Ordinal)))
                {
                    violations.Add($"{workflow.Name}: {step.Describe}: --contact-new-hosts is passed on every run");
                }
            }
        }

        return violations;
    }

    [Fact]
    public void Hosts_a_pull_request_adds_are_contacted_only_in_the_run_the_approving_label_starts()
    {
        var plan = Workflow("plan.yml");

        Assert.Empty(NewHostContact(plan));
        var step = plan.Job("plan").Steps.Single(s => s.Describe.Contains("(Plan)", StringComparison.Ordinal));
        Assert.Contains("--base \"$BASE_SHA\" --head \"$HEAD_SHA\" $contact ", step.Run);
        Assert.All(All.Where(f => f != "plan.yml"), f => Assert.DoesNotContain("--contact-new-hosts", File.ReadAllText(Path.Combine(Root, ".github", "workflows", f))));
    }

    [Theory]
    [InlineData("APPROVED: ${{ github.event.action == 'labeled' && github.event.label.name == 'reconciler:plan' }}", "APPROVED: true", "APPROVED is not the event of the label reconciler:plan")]
    [InlineData("APPROVED: ${{ github.event.action == 'labeled' && github.event.label.name == 'reconciler:plan' }}", "APPROVED: ${{ contains(github.event.pull_request.labels.*.name, 'reconciler:plan') }}", "APPROVED is not the event of the label reconciler:plan")]
    [InlineData("if [ \"$APPROVED\" = true ]; then contact=--contact-new-hosts; fi", "contact=--contact-new-hosts", "passes --contact-new-hosts without the approval check")]
    [InlineData("$contact --format json", "--contact-new-hosts --format json", "--contact-new-hosts is passed on every run")]
    public void Each_way_of_contacting_new_hosts_without_approval_is_flagged(string original, string replacement, string expected)
    {
        var text = File.ReadAllText(Path.Combine(Root, ".github", "workflows", "plan.yml"));
        Assert.Contains(original, text); // the mutation must apply, or this test would prove nothing

        var violations = string.Join("\n", NewHostContact(WorkflowFile.Parse("plan.yml", text.Replace(original, replacement, StringComparison.Ordinal))));

        Assert.Contains(expected, violations);
    }

    [Theory]
    [InlineData("apply.yml", "apply", "reconciler-apply")]
    [InlineData("drift.yml", "drift", "reconciler-drift")]
    [InlineData("plan.yml", "plan", "reconciler-plan")]
    public void Jobs_that_reach_hosts_run_in_their_environment_on_main_with_the_plan_key(string file, string job, string environment)
    {
        var workflow = Workflow(file);

        Assert.Equal(environment, workflow.Job(job).Environment);
        Assert.Equal("${{ secrets.RECONCILER_PLAN_KEY }}", workflow.Job(job).EnvironmentVariable("RECONCILER_PLAN_KEY"));
        if (job != "plan")
        {
            Assert.Equal("github.ref == 'refs/heads/main'", workflow.Job(job).Node.Child("if").Scalar());
        }
    }

    [Fact]
    public void Apply_takes_a_plan_only_from_a_run_of_the_trusted_plan_workflow()
    {
        var download = Workflow("apply.yml").Job("apply").Steps.Single(s => s.Describe.Contains("plan", StringComparison.Ordinal) && s.Run?.Contains("gh run download", StringComparison.Ordinal) == true);

        Assert.Contains("actions/workflows/plan.yml", download.Run);
        Assert.Contains("\"$plan_workflow pull_request_target\"", download.Run);
    }

    [Fact]
    public void The_plan_workflow_as_it_was_is_flagged_on_every_count()
    {
        var insecure = WorkflowFile.Read(Path.Combine(Root, "tests", "Reconciler.Specs.Tests", "Workflows", "Fixtures", "insecure-plan.yml"));

        var violations = string.Join("\n", Violations(insecure));

        Assert.Contains("runs on pull_request with secrets", violations);
        Assert.Contains("checks the pull request's head out into the workspace root", violations);
        Assert.Contains("without persist-credentials: false", violations);
        Assert.Contains("(Build reconciler): runs inside the pull request's head checkout", violations);
        Assert.Contains("(Build reconciler): runs dotnet publish after the pull request's head was checked out", violations);
        Assert.Contains("actions/checkout@v4 is not pinned to a full commit SHA", violations);
        Assert.Contains("job plan names a secret but enters no environment", violations);
        Assert.Contains("the workflow's permissions must be {}", violations);
    }

    /// <summary>One change an attacker (or a careless edit) could make to today's files, and the violation it must cause.</summary>
    [Theory]
    [InlineData("plan.yml", "run: reconciler validate --secrets-by-name --specs pr/specs", "run: bash pr/scripts/validate.sh", "runs bash pr/scripts/validate.sh, a script from the pull request's head")]
    [InlineData("plan.yml", "run: reconciler validate --secrets-by-name --specs pr/specs", "run: ./pr/scripts/validate.sh", "executes ./pr/scripts/validate.sh from the pull request's head")]
    [InlineData("plan.yml", "run: reconciler validate --secrets-by-name --specs pr/specs", "run: dotnet run --project pr/src/Reconciler.Cli -- validate", "runs dotnet run after the pull request's head was checked out")]
    [InlineData("plan.yml", "run: reconciler validate --secrets-by-name --specs pr/specs", "run: cd pr && make", "runs make after the pull request's head was checked out")]
    [InlineData("plan.yml", "run: reconciler validate --secrets-by-name --specs pr/specs", "run: cd pr && reconciler validate", "changes into the pull request's head checkout (pr)")]
    [InlineData("plan.yml", "run: reconciler validate --secrets-by-name --specs pr/specs", "working-directory: pr\n        run: reconciler validate --secrets-by-name", "runs inside the pull request's head checkout (pr)")]
    [InlineData("plan.yml", "          path: pr\n          persist-credentials: false", "          path: pr", "without persist-credentials: false")]
    [InlineData("plan.yml", "          path: pr\n          fetch-depth: 0", "          path: .\n          fetch-depth: 0", "checks the pull request's head out into the workspace root")]
    [InlineData("plan.yml", "uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2", "uses: actions/upload-artifact@v4", "actions/upload-artifact@v4 is not pinned")]
    [InlineData("plan.yml", "uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2", "uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02", "does not say which version the pin is")]
    [InlineData("plan.yml", "pull_request_target:", "pull_request:", "runs on pull_request with secrets")]
    [InlineData("plan.yml", "    environment: reconciler-plan\n", "", "job plan names a secret but enters no environment")]
    [InlineData("apply.yml", "    environment: reconciler-apply\n", "", "job apply names a secret but enters no environment")]
    [InlineData("drift.yml", "permissions: {}", "permissions:\n  contents: write", "the workflow's permissions must be {}")]
    [InlineData("ci.yml", "    timeout-minutes: 90\n", "    timeout-minutes: 90\n    env:\n      SSH_KEY: ${{ secrets.RECONCILER_SSH_KEY }}\n", "ci.yml: runs on pull_request with secrets")]
    public void Each_rule_flags_the_change_that_breaks_it(string file, string original, string replacement, string expected)
    {
        var text = File.ReadAllText(Path.Combine(Root, ".github", "workflows", file));
        Assert.Contains(original, text); // the mutation must apply, or this test would prove nothing

        var violations = string.Join("\n", Violations(WorkflowFile.Parse(file, text.Replace(original, replacement, StringComparison.Ordinal))));

        Assert.Contains(expected, violations);
    }

    [Fact]
    public void A_secret_given_to_the_validate_job_is_flagged()
    {
        // After the names line, whatever names it lists: the workflows carry the names of whoever's specs they plan.
        var text = File.ReadAllText(Path.Combine(Root, ".github", "workflows", "plan.yml"));
        var leaky = System.Text.RegularExpressions.Regex.Replace(text, @"(?m)^(      RECONCILER_SECRET_NAMES: .*\n)",
            "$1      RECONCILER_SECRET_MAIL_DB_PASSWORD: ${{ secrets.MAIL_DB_PASSWORD }}\n");
        Assert.NotEqual(text, leaky);
        var workflow = WorkflowFile.Parse("plan.yml", leaky);

        Assert.Contains(TrustBoundary.SecretsIn(workflow, workflow.Job("validate")), v => v.Contains("${{ secrets.MAIL_DB_PASSWORD }}", StringComparison.Ordinal));
        Assert.Contains(TrustBoundary.SecretsOutsideEnvironments(workflow), v => v.Contains("job validate names a secret", StringComparison.Ordinal));
    }

    [Fact]
    public void The_validate_jobs_secret_names_are_the_secrets_the_plan_apply_and_drift_jobs_pass_each_from_its_own_github_secret()
    {
        // Whatever specs the workflows serve (reconciler secrets --workflow-env prints these lines): the names validate
        // accepts are exactly what the plan passes, and apply and drift pass the same, so a reference the plan would
        // lack fails validate, and nothing plans that could not apply.
        var plan = Workflow("plan.yml");
        var names = (plan.Job("validate").EnvironmentVariable("RECONCILER_SECRET_NAMES") ?? "")
            .Split([' ', ',', '\n'], StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        IReadOnlyList<string> Passed(WorkflowJob job) => job.EnvironmentVariableNames
            .Where(n => n.StartsWith("RECONCILER_SECRET_", StringComparison.Ordinal) && n != "RECONCILER_SECRET_NAMES")
            .Select(n => n["RECONCILER_SECRET_".Length..].ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(names, Passed(plan.Job("plan")));
        Assert.Equal(names, Passed(Workflow("apply.yml").Job("apply")));
        Assert.Equal(names, Passed(Workflow("drift.yml").Job("drift")));
        foreach (var job in new[] { plan.Job("plan"), Workflow("apply.yml").Job("apply"), Workflow("drift.yml").Job("drift") })
        {
            Assert.All(names, n => Assert.Equal($"${{{{ secrets.{n.ToUpperInvariant()} }}}}", job.EnvironmentVariable("RECONCILER_SECRET_" + n.ToUpperInvariant())));
        }
    }

    private static string Permissions(WorkflowJob job) =>
        string.Join(", ", ((YamlDotNet.RepresentationModel.YamlMappingNode)job.Permissions!).Children.Select(p => $"{p.Key}: {p.Value}"));
}
