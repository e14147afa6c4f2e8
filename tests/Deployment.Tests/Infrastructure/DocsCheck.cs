using System.Text.RegularExpressions;

namespace DaprReservations.Deployment.Tests.Infrastructure;

/// <summary>
/// The light, real check behind <c>DocsTests</c>: what a Markdown file names must exist in the repository, and its
/// Mermaid blocks must have the shape GitHub's renderer accepts. Pure functions over text plus a file lookup, so the
/// tests can also feed it broken samples and prove it fails.
/// </summary>
public static partial class DocsCheck
{
    /// <summary>The Markdown files the check covers: docs/, the root README and every README under services/ and tools/.</summary>
    public static IReadOnlyList<string> MarkdownFiles()
    {
        var files = new List<string> { "README.md" };
        files.AddRange(Enumerate("docs", "*.md"));
        files.AddRange(Enumerate("services", "README.md"));
        files.AddRange(Enumerate("tools", "README.md"));
        files.AddRange(Enumerate("deploy", "README.md"));
        return files.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { ".git", "bin", "obj", "TestResults", "artifacts", "node_modules", "data" };

    /// <summary>Every file of the repository (relative, '/'-separated), without build output and VCS folders.</summary>
    public static IReadOnlyList<string> RepositoryFiles { get; } = Enumerate(".", "*").ToList();

    private static IEnumerable<string> Enumerate(string folder, string pattern)
    {
        var root = folder == "." ? Repository.Root : Repository.PathOf(folder);
        if (!Directory.Exists(root))
            yield break;
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var file in Directory.EnumerateFiles(dir, pattern))
                yield return Repository.Relative(file);
            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                if (!Skipped.Contains(Path.GetFileName(sub)))
                    pending.Push(sub);
            }
        }
    }

    // ---------------------------------------------------------------- references

    /// <summary>A reference a document makes: a relative link target or a backticked repository path.</summary>
    public sealed record Reference(int Line, string Kind, string Target, string? Anchor = null);

    /// <summary>Extensions that make a backticked token a file name.</summary>
    private static readonly HashSet<string> FileExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "cs", "csproj", "sln", "props", "md", "yaml", "yml", "json", "bicep", "bicepparam", "js", "css", "html", "sh",
        "ps1", "env", "png", "svg", "txt", "proto", "lua", "sql", "xml", "http",
    };

    /// <summary>Prefixes that make a backticked token a repository path even without an extension (a folder).</summary>
    private static readonly string[] RootFolders = ["services/", "components/", "deploy/", "tools/", "tests/", "docs/"];

    /// <summary>Relative links and backticked paths outside fenced code blocks.</summary>
    public static IReadOnlyList<Reference> References(string markdown)
    {
        var references = new List<Reference>();
        var lines = markdown.Split('\n');
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence)
                continue;

            var withoutCode = InlineCode().Replace(line, match =>
            {
                var token = match.Groups["code"].Value.Trim();
                if (LooksLikePath(token))
                    references.Add(new Reference(i + 1, "path", token));
                return new string(' ', match.Length);
            });

            foreach (Match link in InlineLink().Matches(withoutCode))
                AddLink(references, i + 1, link.Groups["target"].Value);
            foreach (Match link in ReferenceLink().Matches(withoutCode))
                AddLink(references, i + 1, link.Groups["target"].Value);
        }

        return references;
    }

    private static void AddLink(List<Reference> references, int line, string raw)
    {
        var target = raw.Trim().Trim('<', '>');
        if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal)
            || target.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            return;
        string? anchor = null;
        var hash = target.IndexOf('#');
        if (hash >= 0)
        {
            anchor = target[(hash + 1)..];
            target = target[..hash];
        }

        var query = target.IndexOf('?');
        if (query >= 0)
            target = target[..query];
        references.Add(new Reference(line, "link", Uri.UnescapeDataString(target), string.IsNullOrEmpty(anchor) ? null : anchor));
    }

    /// <summary>
    /// A backticked token names a file when it has a '/' and a known file extension, or starts with a top-level folder.
    /// Placeholders, globs, URLs, routes and commands (spaces) are not paths.
    /// </summary>
    public static bool LooksLikePath(string token)
    {
        if (token.Length == 0 || token.IndexOfAny([' ', '<', '>', '{', '}', '*', '?', '|', '$', '=', '`', '"', '\'', ',']) >= 0)
            return false;
        if (token.Contains("://", StringComparison.Ordinal) || token.StartsWith('/'))
            return false;
        if (RootFolders.Any(prefix => token.StartsWith(prefix, StringComparison.Ordinal)))
            return true;
        if (!token.Contains('/'))
            return false;
        var extension = Path.GetExtension(token.TrimEnd('/')).TrimStart('.');
        return FileExtensions.Contains(extension);
    }

    /// <summary>
    /// Where a reference points, or null when nothing is there. Links resolve like GitHub: relative to the document.
    /// Backticked paths may also be written from the repository root, or as the tail of a path the surrounding text
    /// already placed (<c>Domain/SlotState.cs</c> in the reservation section): then some repository file must end
    /// with it.
    /// </summary>
    public static string? Resolve(string documentPath, Reference reference, IReadOnlyList<string> repositoryFiles)
    {
        var documentDir = Path.GetDirectoryName(documentPath.Replace('/', Path.DirectorySeparatorChar)) ?? "";
        var fromDocument = Path.GetFullPath(Path.Combine(Repository.Root, documentDir, reference.Target));
        if (!fromDocument.StartsWith(Repository.Root, StringComparison.Ordinal))
            return null; // outside the repository: nothing a reader of the repository can open
        if (File.Exists(fromDocument) || Directory.Exists(fromDocument))
            return Repository.Relative(fromDocument);
        if (reference.Kind == "link")
            return null;

        var fromRoot = Path.GetFullPath(Path.Combine(Repository.Root, reference.Target));
        if (fromRoot.StartsWith(Repository.Root, StringComparison.Ordinal) && (File.Exists(fromRoot) || Directory.Exists(fromRoot)))
            return Repository.Relative(fromRoot);
        if (RootFolders.Any(prefix => reference.Target.StartsWith(prefix, StringComparison.Ordinal)))
            return null; // written from the root, so it must be there exactly

        var tail = "/" + reference.Target.TrimEnd('/');
        return repositoryFiles.FirstOrDefault(file => file.EndsWith(tail, StringComparison.Ordinal))
            ?? repositoryFiles.Select(file => Path.GetDirectoryName(file)!.Replace('\\', '/'))
                .FirstOrDefault(dir => ("/" + dir).EndsWith(tail, StringComparison.Ordinal));
    }

    /// <summary>
    /// "file:line: what" for every reference of <paramref name="markdown"/> that points at nothing: a missing file, or a
    /// <c>#section</c> of a Markdown file that has no such heading (GitHub's heading ids).
    /// </summary>
    public static IReadOnlyList<string> MissingReferences(string documentPath, string markdown, IReadOnlyList<string> repositoryFiles)
    {
        var missing = new List<string>();
        foreach (var reference in References(markdown))
        {
            var resolved = reference.Target.Length == 0 ? documentPath : Resolve(documentPath, reference, repositoryFiles);
            if (resolved is null)
            {
                missing.Add($"{documentPath}:{reference.Line}: {reference.Kind} '{reference.Target}' does not exist");
                continue;
            }

            if (reference.Anchor is not { } anchor || !resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
                continue;
            var headings = resolved == documentPath ? markdown : File.ReadAllText(Repository.PathOf(resolved));
            if (!HeadingIds(headings).Contains(anchor))
                missing.Add($"{documentPath}:{reference.Line}: '{reference.Target}#{anchor}' names a section that does not exist");
        }

        return missing;
    }

    /// <summary>The ids GitHub gives the headings of a document: lower case, punctuation dropped, spaces to '-', "-1" for repeats.</summary>
    public static IReadOnlySet<string> HeadingIds(string markdown)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var inFence = false;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            var heading = inFence ? null : Heading().Match(line);
            if (heading is not { Success: true })
                continue;
            var text = LinkText().Replace(heading.Groups["text"].Value.Trim(), "${text}");
            var slug = new string(text.ToLowerInvariant()
                .Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_').ToArray()).Replace(' ', '-');
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            ids.Add(count == 0 ? slug : $"{slug}-{count}");
        }

        return ids;
    }

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"!?\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex LinkText();

    [GeneratedRegex(@"(?<!`)`(?<code>[^`\n]+)`(?!`)")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"!?\[[^\]\n]*\]\((?<target><[^>\n]+>|[^)\s\n]+)(?:\s+""[^""\n]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]\n]+\]:\s+(?<target>\S+)")]
    private static partial Regex ReferenceLink();
}
