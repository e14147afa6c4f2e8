using System.Text;

namespace LocalSidecar.Configuration;

/// <summary>
/// The few Go standard-library text functions whose exact behaviour daprd's decisions depend on: os.ExpandEnv (applied
/// to a configuration file before it is parsed), path.Clean (service invocation methods) and strconv.Quote (%q in
/// daprd's error messages).
/// </summary>
public static class GoText
{
    /// <summary>Go's os.ExpandEnv: $NAME and ${NAME} become the variable's value (empty when unset).</summary>
    public static string ExpandEnv(string text, Func<string, string?>? lookup = null)
    {
        lookup ??= Environment.GetEnvironmentVariable;
        if (!text.Contains('$', StringComparison.Ordinal))
            return text;
        var result = new StringBuilder(text.Length);
        var copied = 0;
        for (var j = 0; j < text.Length; j++)
        {
            if (text[j] != '$' || j + 1 >= text.Length)
                continue;
            result.Append(text, copied, j - copied);
            var (name, width) = ShellName(text.AsSpan(j + 1));
            if (name.Length == 0 && width > 0)
            {
                // invalid syntax ("${}" or an unclosed "${"): Go drops those characters
            }
            else if (name.Length == 0)
            {
                result.Append('$'); // "$" not followed by a name stays as it is
            }
            else
            {
                result.Append(lookup(name) ?? "");
            }

            j += width;
            copied = j + 1;
        }

        return result.Append(text, copied, text.Length - copied).ToString();
    }

    private static (string Name, int Width) ShellName(ReadOnlySpan<char> s)
    {
        if (s[0] == '{')
        {
            if (s.Length > 2 && IsShellSpecial(s[1]) && s[2] == '}')
                return (s[1].ToString(), 3);
            for (var i = 1; i < s.Length; i++)
            {
                if (s[i] == '}')
                    return i == 1 ? ("", 2) : (s[1..i].ToString(), i + 1);
            }

            return ("", 1);
        }

        if (IsShellSpecial(s[0]))
            return (s[0].ToString(), 1);
        var n = 0;
        while (n < s.Length && (s[n] == '_' || char.IsAsciiLetterOrDigit(s[n])))
            n++;
        return (s[..n].ToString(), n);
    }

    private static bool IsShellSpecial(char c) => c is '*' or '#' or '$' or '@' or '!' or '?' or '-' || char.IsAsciiDigit(c);

    /// <summary>Go's path.Clean: one slash between segments, "." dropped, ".." resolved, "" becomes ".".</summary>
    public static string CleanPath(string path)
    {
        if (path.Length == 0)
            return ".";
        var rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
                continue;
            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                    parts.RemoveAt(parts.Count - 1);
                else if (!rooted)
                    parts.Add(".."); // a relative path keeps the ".." it cannot resolve
                continue;
            }

            parts.Add(part);
        }

        var joined = string.Join('/', parts);
        if (rooted)
            return "/" + joined;
        return joined.Length == 0 ? "." : joined;
    }

    /// <summary>Go's strconv.Quote for the ASCII range daprd's messages meet (control characters escaped).</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\a' => "\\a",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\v' => "\\v",
                < ' ' or '\x7f' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }
}
