using Reconciler.Cli.GitHubActions;
using Reconciler.Cli.Views;
using Reconciler.Core.Secrets;
using Reconciler.Core.Specs;

namespace Reconciler.Cli.Tests.Redaction;

/// <summary>
/// The class: every escaping an output applies before the last-line redactor sees the text. Views make controls visible,
/// Markdown cells escape pipes, workflow commands percent-encode, console lines starting with "::" lose their first
/// colon: a secret holding any of those characters reaches the redactor escaped and must still be masked.
/// </summary>
public sealed class EscapedSecretTests
{
    public static TheoryData<string> Secrets => new()
    {
        "crlf-pass\r\nword",
        "carriage\rreturn-secret",
        "\u001b[31mred-secret-key",
        "nul\0inside-secret",
        "bidi\u202Eoverride-secret",
        "line\u2028separator-secret",
        "pipe|in|the|secret",
        "percent%25sign,and:colon",
        "::leading-colons-secret",
        "c1\u0085control-secret",
        "tab\tinside-the-secret",
    };

    private static readonly (string Name, Func<string, string> Escape)[] Escapers =
    [
        ("terminal inline", TerminalText.Inline),
        ("terminal line", TerminalText.Line),
        ("markdown code", t => MarkdownText.Code(t)),
        ("markdown cell", t => MarkdownText.Cell(t)),
        ("html", t => HtmlText.Encode(t)),
        ("html attribute", t => HtmlText.Inline(t)),
        ("workflow command data", WorkflowCommand.Data),
        ("workflow command property", WorkflowCommand.Property),
        ("diagnostic message", PathRules.Printable),
    ];

    [Theory]
    [MemberData(nameof(Secrets))]
    public void A_secret_is_masked_in_every_escaped_form_an_output_gives_it(string secret)
    {
        var redactor = new SecretRedactor([secret]);
        Assert.All(Escapers, escaper =>
        {
            var output = "before " + escaper.Escape(secret) + " after";
            var redacted = redactor.Redact(output);
            Assert.False(redactor.Reveals(redacted), $"{escaper.Name}: {redacted}");
            Assert.Contains(SecretRedactor.Mask, redacted);
        });
    }
}
