namespace Reconciler.Core.Plans;

public static class ChangeActionSymbols
{
    /// <summary>Terraform's one-character markers, so a plan reads the same as the tools operators know.</summary>
    public static string Symbol(this ChangeAction action) => action switch
    {
        ChangeAction.Create => "+",
        ChangeAction.Update => "~",
        ChangeAction.Delete => "-",
        ChangeAction.Skip => "·",
        ChangeAction.Blocked => "!",
        _ => " ",
    };

    public static string Verb(this ChangeAction action) => action switch
    {
        ChangeAction.Create => "create",
        ChangeAction.Update => "update",
        ChangeAction.Delete => "delete",
        ChangeAction.Skip => "skip",
        ChangeAction.Blocked => "blocked",
        _ => "no-op",
    };

    /// <summary>Whether apply would touch the host for this action.</summary>
    public static bool ChangesHost(this ChangeAction action) =>
        action is ChangeAction.Create or ChangeAction.Update or ChangeAction.Delete;
}
