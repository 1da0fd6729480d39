namespace Reconciler.Core.Tests.Shell;

/// <summary>
/// A small reader of POSIX sh quoting, for scripts the tests cannot run here: it follows single and double quotes,
/// backslashes, comments, command substitutions (nested) and here-documents, and says for each offset whether the text
/// there is literal — inside single quotes or a quoted here-document — or could be expanded by the shell. It reads no
/// more grammar than quoting needs; a script it cannot follow makes it report "expandable", so a test fails, never
/// passes, on doubt.
/// </summary>
internal static class ShellQuoting
{
    private enum Context { Unquoted, Double }

    /// <summary>Offsets of <paramref name="needle"/> in <paramref name="script"/> that are not literal.</summary>
    public static IReadOnlyList<int> ExpandableOccurrences(string script, string needle)
    {
        var literal = LiteralMap(script);
        var found = new List<int>();
        for (var at = script.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = script.IndexOf(needle, at + 1, StringComparison.Ordinal))
        {
            if (!literal[at])
            {
                found.Add(at);
            }
        }

        return found;
    }

    private static bool[] LiteralMap(string s)
    {
        var literal = new bool[s.Length];
        // Each frame: its context and, for a command substitution, how many '(' it has open.
        var stack = new Stack<(Context Context, int Parens)>();
        stack.Push((Context.Unquoted, 0));
        var heredocs = new Queue<(string Delimiter, bool Quoted)>();
        var atWordStart = true;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            var (context, parens) = stack.Peek();
            if (c == '\n' && context == Context.Unquoted && heredocs.Count > 0)
            {
                i++;
                while (heredocs.Count > 0)
                {
                    var (delimiter, quoted) = heredocs.Dequeue();
                    while (i < s.Length)
                    {
                        var end = s.IndexOf('\n', i);
                        var line = end < 0 ? s[i..] : s[i..end];
                        var lineEnd = end < 0 ? s.Length : end + 1;
                        if (line == delimiter)
                        {
                            i = lineEnd;
                            break;
                        }

                        for (var k = i; k < lineEnd; k++)
                        {
                            literal[k] = quoted;
                        }

                        i = lineEnd;
                    }
                }

                atWordStart = true;
                continue;
            }

            if (c == '\\')
            {
                i += 2;
                atWordStart = false;
                continue;
            }

            if (context == Context.Unquoted)
            {
                switch (c)
                {
                    case '\'':
                        var close = s.IndexOf('\'', i + 1);
                        if (close < 0)
                        {
                            return literal;
                        }

                        for (var k = i + 1; k < close; k++)
                        {
                            literal[k] = true;
                        }

                        i = close + 1;
                        atWordStart = false;
                        continue;
                    case '"':
                        stack.Push((Context.Double, 0));
                        i++;
                        atWordStart = false;
                        continue;
                    case '#' when atWordStart:
                        var eol = s.IndexOf('\n', i);
                        eol = eol < 0 ? s.Length : eol;
                        for (var k = i; k < eol; k++)
                        {
                            literal[k] = true;
                        }

                        i = eol;
                        continue;
                    case '<' when i + 1 < s.Length && s[i + 1] == '<' && (i + 2 >= s.Length || s[i + 2] != '<'):
                        i = ReadHeredocWord(s, i + 2, heredocs);
                        atWordStart = false;
                        continue;
                    case '(':
                        stack.Pop();
                        stack.Push((context, parens + 1));
                        i++;
                        atWordStart = true;
                        continue;
                    case ')':
                        stack.Pop();
                        if (parens > 0)
                        {
                            stack.Push((context, parens - 1));
                        }
                        else if (stack.Count == 0)
                        {
                            // A ')' the reader cannot place: treat the rest as top-level, unquoted text.
                            stack.Push((Context.Unquoted, 0));
                        }

                        i++;
                        atWordStart = false;
                        continue;
                }
            }
            else if (c == '"')
            {
                stack.Pop();
                i++;
                continue;
            }

            if (c == '$' && i + 1 < s.Length && s[i + 1] == '(')
            {
                stack.Push((Context.Unquoted, 0));
                i += 2;
                atWordStart = true;
                continue;
            }

            atWordStart = context == Context.Unquoted && (c is ' ' or '\t' or '\n' or ';' or '|' or '&' or '{' or '}');
            i++;
        }

        return literal;
    }

    /// <summary>The word after &lt;&lt; (or &lt;&lt;-): a here-document delimiter, quoted or not; returns where it ends.</summary>
    private static int ReadHeredocWord(string s, int i, Queue<(string, bool)> heredocs)
    {
        if (i < s.Length && s[i] == '-')
        {
            i++;
        }

        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }

        var quoted = false;
        var word = new System.Text.StringBuilder();
        while (i < s.Length && s[i] is not (' ' or '\t' or '\n' or ';' or '|' or '&' or '<' or '>' or ')'))
        {
            if (s[i] is '\'' or '"')
            {
                quoted = true;
                var close = s.IndexOf(s[i], i + 1);
                if (close < 0)
                {
                    return s.Length;
                }

                word.Append(s, i + 1, close - i - 1);
                i = close + 1;
                continue;
            }

            if (s[i] == '\\')
            {
                quoted = true;
                i++;
            }

            if (i < s.Length)
            {
                word.Append(s[i]);
            }

            i++;
        }

        heredocs.Enqueue((word.ToString(), quoted));
        return i;
    }
}
