using Fuzz.Api;
using Fuzz.Generators;
using Fuzz.Http;
using Fuzz.Run;

namespace Fuzz.Tests;

/// <summary>What the generators promise without a running system: the same seed sends the same bytes.</summary>
public sealed class GeneratorTests
{
    private static readonly Credentials Credentials = Credentials.Minted();

    private static readonly IReadOnlyList<FuzzRoute> Routes = BuildRoutes();

    [Fact]
    public void The_same_seed_and_index_make_the_same_request_bytes()
    {
        var ids = Ids();
        for (var index = 0; index < 400; index++)
        {
            var first = FuzzRunner.Generate(5, index, Routes, Credentials, ids, new Dictionary<string, string>());
            var second = FuzzRunner.Generate(5, index, Routes, Credentials, ids, new Dictionary<string, string>());
            RawHttp.Encode(second).Should().Equal(RawHttp.Encode(first), $"request #{index} must replay exactly");
        }
    }

    [Fact]
    public void Another_seed_makes_other_requests()
    {
        var ids = Ids();
        var differing = Enumerable.Range(0, 200).Count(index =>
            !RawHttp.Encode(FuzzRunner.Generate(5, index, Routes, Credentials, ids, new Dictionary<string, string>()))
                .SequenceEqual(RawHttp.Encode(FuzzRunner.Generate(6, index, Routes, Credentials, ids, new Dictionary<string, string>()))));
        differing.Should().BeGreaterThan(150);
    }

    [Fact]
    public void A_write_with_real_credentials_always_carries_a_poison_or_names_nothing()
    {
        var ids = Ids();
        var checkedWrites = 0;
        for (var index = 0; index < 3000; index++)
        {
            var request = FuzzRunner.Generate(9, index, Routes, Credentials, ids, new Dictionary<string, string>());
            if (!request.Privileged || request.Method is "GET" or "HEAD")
                continue;
            checkedWrites++;
            request.Recipe.Should().Contain(r => r.StartsWith("poison:", StringComparison.Ordinal), request.Describe());
            if (request.Recipe.Contains("poison:PathIds"))
                ids.AllReal.Should().NotContain(id => request.Target.Contains(id, StringComparison.Ordinal), request.Describe());
        }

        checkedWrites.Should().BeGreaterThan(300);
    }

    private static IdPool Ids()
    {
        var ids = new IdPool();
        ids.Add(IdPool.Slots, "01a22a7f-5801-74a5-9fad-a11e4d015b6e");
        ids.Add(IdPool.Resources, "01a22a7f-4bfd-749f-a9e2-1d65c079c49b");
        ids.Add(IdPool.Holds, "3525d16ed6a44fb1a0e80cc04043cb62");
        ids.Add(IdPool.Orders, "5f0c3d1e2a7b4c9d8e6f1a2b3c4d5e6f");
        return ids;
    }

    /// <summary>Operations shaped like the services' own: a body with ids, a path id with If-Match, a path id alone.</summary>
    private static IReadOnlyList<FuzzRoute> BuildRoutes()
    {
        var hold = new Schema
        {
            Type = "object",
            Properties = new Dictionary<string, Schema> { ["slotId"] = new() { Type = "string" }, ["quantity"] = new() { Type = "integer", Format = "int32" } },
        };
        var slot = new Schema
        {
            Type = "object",
            Properties = new Dictionary<string, Schema>
            {
                ["start"] = new() { Type = "string", Format = "date-time" },
                ["capacity"] = new() { Type = "integer" },
                ["price"] = new() { Type = "number" },
            },
        };
        var path = new ApiParameter("id", "path", new Schema { Type = "string", Format = "uuid" }, true);
        var holdId = new ApiParameter("holdId", "path", new Schema { Type = "string" }, true);
        var ifMatch = new ApiParameter("If-Match", "header", new Schema { Type = "string" }, false);
        var operations = new[]
        {
            new ApiOperation("reservation", "POST", "/holds", [], hold),
            new ApiOperation("reservation", "DELETE", "/holds/{holdId}", [holdId], null),
            new ApiOperation("reservation", "POST", "/holds/{holdId}/confirm", [holdId], null),
            new ApiOperation("catalog", "PUT", "/admin/slots/{id}", [path, ifMatch], slot),
            new ApiOperation("catalog", "GET", "/slots/{id}", [path], null),
        };
        var baseUri = new Uri("http://127.0.0.1:1/");
        return [.. operations.SelectMany(o => new[] { FuzzRoute.ForOperation(o, false, baseUri), FuzzRoute.ForOperation(o, true, baseUri) })];
    }
}
