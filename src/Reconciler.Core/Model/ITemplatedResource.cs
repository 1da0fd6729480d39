namespace Reconciler.Core.Model;

/// <summary>
/// A resource whose content may be a template rendered per host (files, dovecot files): the spec layer renders it and
/// hands back the resource with its content, deciding whether that content is sensitive.
/// </summary>
public interface ITemplatedResource
{
    string? Content { get; }

    bool Sensitive { get; }

    /// <summary>This resource with <paramref name="content"/> as its content, sensitive as <paramref name="sensitive"/> says.</summary>
    Resource WithRenderedContent(string content, bool sensitive);
}
