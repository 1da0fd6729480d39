namespace Reconciler.Core.Facts;

/// <summary>File modes in one form (four octal digits, as <c>0644</c>), so a mode stat reports and one a spec declares compare equal.</summary>
public static class FileModes
{
    public static string Normalize(string mode) => mode.TrimStart('0').PadLeft(4, '0');
}
