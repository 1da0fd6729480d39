using System.Buffers;
using System.Text;

namespace Reconciler.Specs.Yaml;

/// <summary>Strict UTF-8 decoding that can say where the first bad byte is, so the user can find it in an editor.</summary>
internal static class Utf8Text
{
    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>Returns the 1-based line and column (in UTF-16 units, as editors count) of the first invalid byte, or null.</summary>
    public static (int Line, int Column)? FindFirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(ByteOrderMark))
        {
            bytes = bytes[ByteOrderMark.Length..];
        }

        var line = 1;
        var column = 1;
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) != OperationStatus.Done)
            {
                return (line, column);
            }

            if (rune.Value == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column += rune.Utf16SequenceLength;
            }

            bytes = bytes[consumed..];
        }

        return null;
    }

    /// <summary>Decodes already-validated bytes, dropping a UTF-8 byte order mark.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(ByteOrderMark))
        {
            bytes = bytes[ByteOrderMark.Length..];
        }

        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
    }
}
