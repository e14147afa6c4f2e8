namespace Catalog.Domain;

/// <summary>Either a valid value or the field errors that prevented it.</summary>
public sealed class DomainOutcome<T>
    where T : class
{
    private DomainOutcome(T? value, DomainErrors errors)
    {
        Value = value;
        Errors = errors;
    }

    public T? Value { get; }

    public DomainErrors Errors { get; }

    public static DomainOutcome<T> Valid(T value) => new(value, new DomainErrors());

    public static DomainOutcome<T> Invalid(DomainErrors errors) => new(null, errors);
}
