namespace LocalSidecar.State;

/// <summary>
/// components-contrib <c>state.redis</c> scripts and the argument rules around them (contrib:state/redis/redis.go).
/// The scripts are verbatim: the embedded engine implements the same decision table in C#.
/// </summary>
public static class StateScripts
{
    /// <summary>setDefaultQuery. KEYS[1]=key, ARGV[1]=expected version ("0" = none), ARGV[2]=data, ARGV[3]="0" for first-write (absent in transactions).</summary>
    public const string Set = """
        local etag = redis.pcall("HGET", KEYS[1], "version");
        if type(etag) == "table" then
          redis.call("DEL", KEYS[1]);
        end;
        local fwr = redis.pcall("HGET", KEYS[1], "first-write");
        if not etag or type(etag)=="table" or etag == "" or etag == ARGV[1] or (not fwr and ARGV[1] == "0") then
          redis.call("HSET", KEYS[1], "data", ARGV[2]);
          if ARGV[3] == "0" then
            redis.call("HSET", KEYS[1], "first-write", 0);
          end;
          return redis.call("HINCRBY", KEYS[1], "version", 1)
        else
          return error("failed to set key " .. KEYS[1])
        end
        """;

    /// <summary>delDefaultQuery. KEYS[1]=key, ARGV[1]=etag ("0" when none).</summary>
    public const string Delete = """
        local etag = redis.pcall("HGET", KEYS[1], "version");
        if not etag or type(etag)=="table" or etag == ARGV[1] or etag == "" or ARGV[1] == "0" then
          return redis.call("DEL", KEYS[1])
        else
          return error("failed to delete " .. KEYS[1])
        end
        """;

    public const string FirstWrite = "first-write";
    public const string LastWrite = "last-write";

    /// <summary>
    /// contrib's parseETag: "0" for last-write or no etag, else the etag must parse as an int (strconv.Atoi) — checked
    /// before Redis is touched, even for a missing key.
    /// </summary>
    public static string ExpectedVersion(StateSet set)
    {
        if (set.Concurrency == LastWrite || string.IsNullOrEmpty(set.ETag))
            return "0";
        if (!long.TryParse(set.ETag, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var version))
            throw new ETagException(ETagErrorKind.Invalid, $"invalid etag value: strconv.Atoi: parsing \"{set.ETag}\": invalid syntax");
        return version.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Delete sends the etag text as is ("0" when none); a wrong one of any shape is a mismatch, never "invalid".</summary>
    public static string DeleteVersion(StateDelete delete) => string.IsNullOrEmpty(delete.ETag) ? "0" : delete.ETag;

    public static Exception SetFailure(StateSet set, string storeError) =>
        string.IsNullOrEmpty(set.ETag)
            ? new StateStoreException($"failed to set key {set.Key}: {storeError}")
            : new ETagException(ETagErrorKind.Mismatch, $"possible etag mismatch. error from state store: {storeError}");

    public static ETagException DeleteFailure(string storeError) =>
        new(ETagErrorKind.Mismatch, $"possible etag mismatch. error from state store: {storeError}");
}
