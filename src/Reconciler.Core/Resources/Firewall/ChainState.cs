namespace Reconciler.Core.Resources.Firewall;

/// <summary>The managed chain in one ruleset (live or a rules file): whether it exists, its rules, and where INPUT jumps to it.</summary>
/// <param name="JumpPositions">1-based positions among INPUT's rules of the exact jump rule the reconciler owns.</param>
public sealed record ChainState(bool Exists, IReadOnlyList<string> Rules, IReadOnlyList<int> JumpPositions)
{
    public static readonly ChainState Missing = new(false, [], []);

    /// <summary>Exactly one jump, and it is INPUT's first rule: nothing before it can accept what the chain would drop.</summary>
    public bool JumpIsFirst => JumpPositions is [1];
}
