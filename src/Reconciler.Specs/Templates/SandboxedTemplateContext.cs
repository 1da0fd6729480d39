using System.Diagnostics;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Reconciler.Specs.Templates;

/// <summary>
/// A Scriban context with the limits a template from a pull request needs: no template loader, no evaluating or
/// including functions, bounded recursion, loop iterations (per loop and in total), evaluation steps, render time and
/// output. Each limit fails the render with an error at the template's line; none truncates output silently.
/// </summary>
internal sealed class SandboxedTemplateContext : TemplateContext
{
    /// <summary>Function calls nested deeper than this are runaway recursion; real templates nest a handful.</summary>
    public const int MaxRecursion = 32;

    /// <summary>Iterations of all loops together: nested loops multiply, each one alone stays under LoopLimit.</summary>
    public const int MaxTotalIterations = 100_000;

    /// <summary>Expressions and statements evaluated: catches recursion that branches (f calls f twice) without a loop.</summary>
    public const long MaxSteps = 2_000_000;

    /// <summary>Wall-clock budget for one render.</summary>
    public static readonly TimeSpan MaxRenderTime = TimeSpan.FromSeconds(2);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _steps;
    private int _iterations;

    public SandboxedTemplateContext(int outputLimit)
    {
        TemplateLoader = null;
        StrictVariables = true;
        EnableRelaxedMemberAccess = false;
        RecursiveLimit = MaxRecursion;
        LoopLimit = 1000;
        OutputLimit = outputLimit;
        // Also bounds what one call may build (string.pad_left 2000000000 is refused before it allocates).
        LimitToString = outputLimit;
        OnOutputLimit = ScriptLimitBehavior.Throw;
        OnStringLimit = ScriptLimitBehavior.Throw;
        RegexTimeOut = TimeSpan.FromMilliseconds(200);

        foreach (var name in TemplateSandbox.IncludingFunctions)
        {
            BuiltinObject.Remove(name);
        }

        if (BuiltinObject["object"] is ScriptObject objectFunctions)
        {
            foreach (var name in TemplateSandbox.EvaluatingMembers)
            {
                objectFunctions.Remove(name);
            }
        }
    }

    public override object? Evaluate(ScriptNode? scriptNode, bool aliasReturnedFunction)
    {
        if (++_steps > MaxSteps)
        {
            throw new TemplateLimitException(scriptNode?.Span ?? CurrentSpan, $"the template evaluated more than {MaxSteps} steps; it is runaway recursion or a loop too large");
        }

        if ((_steps & 1023) == 0 && _clock.Elapsed > MaxRenderTime)
        {
            throw new TemplateLimitException(scriptNode?.Span ?? CurrentSpan, $"rendering took longer than {MaxRenderTime.TotalSeconds:0} s");
        }

        return base.Evaluate(scriptNode, aliasReturnedFunction);
    }

    protected override bool OnStepLoop(ScriptLoopStatementBase loop)
    {
        if (++_iterations > MaxTotalIterations)
        {
            throw new TemplateLimitException(loop.Span, $"loops ran more than {MaxTotalIterations} iterations in total");
        }

        return base.OnStepLoop(loop);
    }
}
