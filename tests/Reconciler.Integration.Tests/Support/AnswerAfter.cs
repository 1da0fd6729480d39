namespace Reconciler.Integration.Tests.Support;

/// <summary>A person at the terminal who does something (or lets something happen, or takes time) before answering.</summary>
public sealed class AnswerAfter(Action before, string answer) : TextReader
{
    public override string? ReadLine()
    {
        before();
        return answer;
    }
}
