using System.Text.RegularExpressions;

namespace DaprReservations.Deployment.Tests.Infrastructure;

/// <summary>The Mermaid half of the docs check: a light syntax check of every ```mermaid block.</summary>
public static partial class DocsCheck
{
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
