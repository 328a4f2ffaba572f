using System.Text.Json;
using System.Text.Json.Serialization;

namespace KeyDashboard.Api;

/// <summary>
/// Compile-time JSON for the answers on the per-request hot paths (<c>/me</c>, <c>/verify</c>), and the leak reports' body. Written with these
/// type infos they take System.Text.Json's fast path; through the app's shared options they would not: those chain
/// other resolvers (OpenAPI's, problem details', reflection) and set an encoder, and each of these rules it out.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(MeResponse))]
[JsonSerializable(typeof(VerifyRequest))]
[JsonSerializable(typeof(VerifyResponse))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
