using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace KeyDashboard.Api;

/// <summary>The error answers an endpoint documents, each a problem-details body.</summary>
public static class ApiResponses
{
    private static readonly string[] ProblemContentTypes = ["application/problem+json"];

    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statusCodes) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var statusCode in statusCodes)
            builder.WithMetadata(new ProducesResponseTypeMetadata(statusCode, typeof(ProblemDetails), ProblemContentTypes));
        return builder;
    }
}
