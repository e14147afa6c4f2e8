using DaprReservations.Deployment.Tests.Infrastructure;

namespace DaprReservations.Deployment.Tests;

/// <summary>
/// Documents that drift from the code are worse than none: every file a document names must exist, and every
/// Mermaid diagram must parse (a light syntax check: diagram type, balanced brackets and quotes, sequence arrows as
/// "participant ->> participant: message", ER relationships in cardinality syntax). A wrong path is a doc bug: fix the
/// document, not this check.
/// </summary>
public class DocsTests
{
    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string>();
        foreach (var file in DocsCheck.MarkdownFiles())
            data.Add(file);
        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_file_a_document_names_exists(string document)
    {
        var markdown = File.ReadAllText(Repository.PathOf(document));

        DocsCheck.MissingReferences(document, markdown, DocsCheck.RepositoryFiles).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_mermaid_block_parses(string document)
    {
        var markdown = File.ReadAllText(Repository.PathOf(document));

        var problems = DocsCheck.MermaidBlocks(markdown)
            .SelectMany(block => DocsCheck.MermaidProblems(block).Select(problem => $"{document} (block at line {block.Line}): {problem}"));

        problems.Should().BeEmpty();
    }

    [Fact]
    public void The_design_book_is_there_and_has_diagrams()
    {
        var documents = DocsCheck.MarkdownFiles();
        string[] book = ["docs/architecture.md", "docs/redis.md", "docs/development.md", "docs/data-model.md"];

        documents.Should().Contain(book);
        foreach (var document in book)
            DocsCheck.MermaidBlocks(File.ReadAllText(Repository.PathOf(document))).Should().NotBeEmpty($"{document} explains with diagrams");
        var erDiagrams = DocsCheck.MermaidBlocks(File.ReadAllText(Repository.PathOf("docs/data-model.md")))
            .Count(block => block.Lines.FirstOrDefault(l => l.Trim().Length > 0)?.Trim() == "erDiagram");
        erDiagrams.Should().BeGreaterThanOrEqualTo(4, "one ER diagram per database: catalog, reservation, ordering, payment");
    }

    [Fact]
    public void The_newcomer_questions_are_answered_from_the_architecture_page()
    {
        var architecture = File.ReadAllText(Repository.PathOf("docs", "architecture.md"));

        architecture.Should().Contain("two customers hold the last seat at the same moment")
            .And.Contain("Service Bus redelivery does to an order")
            .And.Contain("lengthen holds");
    }

    // ------------------------------------------------------------ the check itself fails when it should

    [Fact]
    public void A_document_naming_a_missing_file_fails_the_check()
    {
        const string markdown = """
            The decision lives in [SlotState](../services/reservation/Domain/SlotState.cs) and `services/reservation/Domain/SlotState.cs`,
            written by `Infrastructure/State/EtagSlotWriteStrategy.cs`.
            Sections: [deploy](operations.md#1-deploy), [here](#a-heading), [gone too](operations.md#no-such-section).
            Broken: [gone](../services/reservation/Domain/NoSuchFile.cs), `services/reservation/Nope.cs`, `State/Typo.cs`.

            ## A heading
            Not paths: `catalog.slot-changed`, `/holds/{id}/confirm`, `Reservation__HoldTtl=00:20:00`, `dotnet test tests/X`.
            ```bash
            cat services/not/checked/inside/a/fence.cs
            ```
            """;

        var missing = DocsCheck.MissingReferences("docs/sample.md", markdown, DocsCheck.RepositoryFiles);

        missing.Should().HaveCount(4);
        missing.Should().Contain(m => m.Contains("NoSuchFile.cs")).And.Contain(m => m.Contains("Nope.cs"))
            .And.Contain(m => m.Contains("State/Typo.cs")).And.Contain(m => m.Contains("#no-such-section"));
    }

    [Theory]
    [InlineData("flowchart LR\n  A[web] --> B(catalog", "unbalanced")]
    [InlineData("flowchart\n  A --> B", "direction")]
    [InlineData("sequencediagram\n  A->>B: hi", "known diagram type")]
    [InlineData("sequenceDiagram\n  participant A\n  participant B\n  A->>B hello", "arrow line")]
    [InlineData("sequenceDiagram\n  participant A\n  participant B\n  A->>C: typo", "not declared")]
    [InlineData("sequenceDiagram\n  participant A\n  loop forever\n  A->>A: spin", "without 'end'")]
    [InlineData("erDiagram\n  SlotLedger ||--o{ Booking holds", "relationship")]
    [InlineData("erDiagram\n  Orders ||-o{ OrderLines : has", "relationship")]
    [InlineData("erDiagram\n  Orders {\n    decimal(18,2) Amount\n  }", "attribute")]
    [InlineData("erDiagram\n  Orders {\n    string Id PK\n", "not closed")]
    public void A_broken_mermaid_block_fails_the_check(string diagram, string expected)
    {
        var block = DocsCheck.MermaidBlocks($"```mermaid\n{diagram}\n```\n").Single();

        DocsCheck.MermaidProblems(block).Should().Contain(problem => problem.Contains(expected));
    }

    [Fact]
    public void Heading_ids_follow_github()
    {
        var ids = DocsCheck.HeadingIds("# Two customers, one seat, the same moment (strategy `etag`)\n## 2. Configuration per environment\n## Keys\n## Keys\n");

        ids.Should().BeEquivalentTo(["two-customers-one-seat-the-same-moment-strategy-etag", "2-configuration-per-environment", "keys", "keys-1"]);
    }

    [Fact]
    public void Well_formed_mermaid_blocks_pass()
    {
        const string markdown = """
            ```mermaid
            sequenceDiagram
                participant C as customer
                participant R as reservation
                C->>R: POST /holds {slotId, quantity: 1}
                alt fits
                    R-->>C: 201 (hold)
                else sold out
                    R-->>C: 409 available = 0
                end
                Note over C,R: free text (with unbalanced ( here
            ```
            ```mermaid
            erDiagram
                SlotLedger ||--o{ Booking : "books (no FK)"
                SlotLedger {
                    nvarchar(64) SlotId PK
                    bigint LastFencingToken "fencing token"
                }
                Booking {
                    nvarchar(64) HoldId PK
                    nvarchar(64) SlotId FK "indexed"
                }
            ```
            ```mermaid
            flowchart LR
                browser -->|"/api/{app}/..."| web[web]
                web --> db[(Azure SQL)]
            ```
            """;

        foreach (var block in DocsCheck.MermaidBlocks(markdown))
            DocsCheck.MermaidProblems(block).Should().BeEmpty();
    }
}
