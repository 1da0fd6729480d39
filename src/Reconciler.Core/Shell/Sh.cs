using System.Text;

namespace Reconciler.Core.Shell;

/// <summary>POSIX shell quoting; every value that reaches a remote script passes through here.</summary>
public static class Sh
{
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public static string DecodeBase64(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64));
}
