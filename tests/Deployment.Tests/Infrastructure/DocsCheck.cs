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

    // ---------------------------------------------------------------- mermaid

    /// <summary>A fenced <c>```mermaid</c> block: the line its first diagram line is on, and its lines.</summary>
    public sealed record MermaidBlock(int Line, IReadOnlyList<string> Lines);

    public static IReadOnlyList<MermaidBlock> MermaidBlocks(string markdown)
    {
        var blocks = new List<MermaidBlock>();
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
                continue;
            var isMermaid = lines[i].Trim().Equals("```mermaid", StringComparison.Ordinal);
            var body = new List<string>();
            var start = i + 2;
            for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++)
                body.Add(lines[i].TrimEnd('\r'));
            if (isMermaid)
                blocks.Add(new MermaidBlock(start, body));
        }

        return blocks;
    }

    private static readonly string[] DiagramTypes =
    [
        "flowchart", "graph", "sequenceDiagram", "erDiagram", "classDiagram", "stateDiagram-v2", "stateDiagram",
        "gantt", "pie", "journey", "gitGraph", "mindmap", "timeline", "quadrantChart",
    ];

    /// <summary>Syntax problems of one Mermaid block (empty when it looks right).</summary>
    public static IReadOnlyList<string> MermaidProblems(MermaidBlock block)
    {
        var problems = new List<string>();
        var content = block.Lines
            .Select((text, index) => (Text: text.Trim(), Line: block.Line + index))
            .Where(l => l.Text.Length > 0 && !l.Text.StartsWith("%%", StringComparison.Ordinal))
            .ToList();
        if (content.Count == 0)
            return ["empty mermaid block"];

        var header = content[0].Text;
        var type = DiagramTypes.FirstOrDefault(t => header == t || header.StartsWith(t + " ", StringComparison.Ordinal));
        if (type is null)
            return [$"line {content[0].Line}: '{header}' does not start with a known diagram type ({string.Join(", ", DiagramTypes)})"];
        if (type is "flowchart" or "graph" && !FlowchartHeader().IsMatch(header))
            problems.Add($"line {content[0].Line}: '{header}' needs a direction (TD, TB, BT, LR, RL)");

        var body = content.Skip(1).ToList();
        foreach (var (text, line) in body)
        {
            // Free text ("participant: message", "alt label", "Note over X: text") may hold anything; labels in quotes too.
            var structural = type == "sequenceDiagram" ? SequenceStructure(text) : text;
            if (structural.Count(c => c == '"') % 2 != 0)
                problems.Add($"line {line}: unbalanced double quotes");
        }

        var unquoted = string.Join('\n', body.Select(l => StripQuoted(type == "sequenceDiagram" ? SequenceStructure(l.Text) : l.Text)));
        if (type == "erDiagram")
            unquoted = ErCardinality().Replace(unquoted, " -- ");
        if (type is "flowchart" or "graph")
            unquoted = FlowchartEdgeLabel().Replace(unquoted, " ");
        foreach (var (open, close) in new[] { ('(', ')'), ('[', ']'), ('{', '}') })
        {
            var depth = 0;
            foreach (var c in unquoted)
            {
                depth += c == open ? 1 : c == close ? -1 : 0;
                if (depth < 0)
                    break;
            }

            if (depth != 0)
                problems.Add($"unbalanced '{open}{close}' brackets");
        }

        switch (type)
        {
            case "sequenceDiagram":
                problems.AddRange(SequenceProblems(body));
                break;
            case "erDiagram":
                problems.AddRange(ErProblems(body));
                break;
        }

        return problems;
    }

    private static string StripQuoted(string text) => QuotedText().Replace(text, "\"\"");

    private static readonly HashSet<string> SequenceLabelKeywords = new(StringComparer.Ordinal)
    {
        "loop", "alt", "else", "opt", "par", "and", "critical", "break", "option", "title", "rect", "box",
    };

    /// <summary>The part of a sequence line Mermaid parses as syntax; the rest is free text.</summary>
    private static string SequenceStructure(string text)
    {
        var keyword = text.Split(' ', 2)[0];
        if (SequenceLabelKeywords.Contains(keyword.ToLowerInvariant()))
            return keyword;
        return text.Contains(':') ? text[..text.IndexOf(':')] : text;
    }

    private static readonly string[] SequenceKeywords =
    [
        "participant", "actor", "autonumber", "activate", "deactivate", "note", "loop", "alt", "else", "opt", "par", "and",
        "critical", "break", "rect", "box", "end", "title", "option", "create", "destroy",
    ];

    private static readonly HashSet<string> SequenceOpeners = new(StringComparer.Ordinal) { "loop", "alt", "opt", "par", "critical", "break", "rect", "box" };

    private static IEnumerable<string> SequenceProblems(IReadOnlyList<(string Text, int Line)> body)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var used = new List<(string Name, int Line)>();
        var depth = 0;
        foreach (var (text, line) in body)
        {
            var first = text.Split(' ', 2)[0];
            var keyword = first.ToLowerInvariant();
            if (SequenceArrowToken().IsMatch(text) && !SequenceKeywords.Contains(keyword))
            {
                var arrow = SequenceArrowLine().Match(text);
                if (!arrow.Success)
                {
                    yield return $"line {line}: arrow line is not 'participant ->> participant: message': {text}";
                    continue;
                }

                used.Add((arrow.Groups["from"].Value, line));
                used.Add((arrow.Groups["to"].Value, line));
                continue;
            }

            if (!SequenceKeywords.Contains(keyword))
            {
                yield return $"line {line}: neither a sequence keyword nor an arrow: {text}";
                continue;
            }

            if (keyword is "participant" or "actor")
            {
                var declaration = ParticipantLine().Match(text);
                if (!declaration.Success)
                    yield return $"line {line}: bad participant declaration: {text}";
                else
                    declared.Add(declaration.Groups["id"].Value);
            }
            else if (keyword == "note" && !NoteLine().IsMatch(text))
            {
                yield return $"line {line}: a note is 'Note over|left of|right of X[,Y]: text': {text}";
            }
            else if (SequenceOpeners.Contains(keyword))
            {
                depth++;
            }
            else if (keyword == "end" && --depth < 0)
            {
                yield return $"line {line}: 'end' without an open block";
                depth = 0;
            }
        }

        if (depth > 0)
            yield return $"{depth} block(s) (loop/alt/opt/par/rect/critical/break) without 'end'";
        if (declared.Count > 0)
        {
            foreach (var (name, line) in used.Where(u => !declared.Contains(u.Name)))
                yield return $"line {line}: participant '{name}' is not declared (a typo draws a new lane)";
        }
    }

    private static IEnumerable<string> ErProblems(IReadOnlyList<(string Text, int Line)> body)
    {
        string? entity = null;
        foreach (var (text, line) in body)
        {
            if (entity is not null)
            {
                if (text == "}")
                    entity = null;
                else if (!ErAttribute().IsMatch(text))
                    yield return $"line {line}: attribute of {entity} is not 'type name [PK|FK|UK] [\"comment\"]': {text}";
                continue;
            }

            var open = ErEntityOpen().Match(text);
            if (open.Success)
            {
                entity = open.Groups["name"].Value;
                continue;
            }

            if (ErEntityName().IsMatch(text))
                continue; // an entity without attributes
            if (!ErRelationship().IsMatch(text))
                yield return $"line {line}: relationship is not 'A ||--o{{ B : label': {text}";
        }

        if (entity is not null)
            yield return $"entity {entity} is not closed with '}}'";
    }

    [GeneratedRegex(@"^(flowchart|graph)\s+(TD|TB|BT|LR|RL)\b")]
    private static partial Regex FlowchartHeader();

    [GeneratedRegex(@"""[^""\n]*""")]
    private static partial Regex QuotedText();

    [GeneratedRegex(@"\|[^|\n]*\|")]
    private static partial Regex FlowchartEdgeLabel();

    [GeneratedRegex(@"(\|o|\|\||\}o|\}\|)(--|\.\.)(o\||\|\||o\{|\|\{)")]
    private static partial Regex ErCardinality();

    [GeneratedRegex(@"--?>>?|--?[x)]")]
    private static partial Regex SequenceArrowToken();

    [GeneratedRegex(@"^(?<from>[A-Za-z_][\w]*)\s*(-->>|->>|-->|->|--x|-x|--\)|-\))[+-]?\s*(?<to>[A-Za-z_][\w]*)\s*:\s*\S.*$")]
    private static partial Regex SequenceArrowLine();

    [GeneratedRegex(@"^(participant|actor)\s+(?<id>[A-Za-z_][\w]*)(\s+as\s+\S.*)?$")]
    private static partial Regex ParticipantLine();

    [GeneratedRegex(@"^[Nn]ote\s+(over|left of|right of)\s+[A-Za-z_][\w]*(\s*,\s*[A-Za-z_][\w]*)?\s*:\s*\S.*$")]
    private static partial Regex NoteLine();

    [GeneratedRegex(@"^(?<name>[A-Za-z_][\w-]*)\s*\{$")]
    private static partial Regex ErEntityOpen();

    [GeneratedRegex(@"^[A-Za-z_][\w-]*$")]
    private static partial Regex ErEntityName();

    // Mermaid's attribute type is [*A-Za-z_][A-Za-z0-9\-_\[\]\(\)]* (no comma, no space); keys PK, FK, UK.
    [GeneratedRegex(@"^[*A-Za-z_][A-Za-z0-9\-_\[\]\(\)]*\s+[*A-Za-z_][\w-]*(\s+(PK|FK|UK)(\s*,\s*(PK|FK|UK))*)?(\s+""[^""]*"")?$")]
    private static partial Regex ErAttribute();

    [GeneratedRegex(@"^[A-Za-z_][\w-]*\s+(\|o|\|\||\}o|\}\|)(--|\.\.)(o\||\|\||o\{|\|\{)\s+[A-Za-z_][\w-]*\s*:\s*(""[^""]*""|\S.*)$")]
    private static partial Regex ErRelationship();
}
