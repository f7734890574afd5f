using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bank.Web
{
    public static class CorsSetup
    {
        public static void Configure(IServiceCollection services)
        {
            services.AddCors(options =>
            {
                options.AddPolicy("portal", policy =>
                    // ruleid: csharp.cors-permissive-credentials
                    policy.SetIsOriginAllowed(origin => true).AllowAnyHeader().AllowAnyMethod().AllowCredentials());
                options.AddPolicy("partners", policy =>
                    // ok: csharp.cors-permissive-credentials
                    policy.WithOrigins("https://partner.bank.example").AllowAnyHeader().AllowCredentials());
                options.AddPolicy("public", policy =>
                    // ok: csharp.cors-permissive-credentials
                    policy.AllowAnyOrigin().AllowAnyMethod());
                options.AddPolicy("subdomains", policy =>
                    // ok: csharp.cors-permissive-credentials
                    policy.SetIsOriginAllowed(origin => origin.EndsWith(".bank.example")).AllowCredentials());
            });
        }

        public static void Reflect(HttpContext context)
        {
            // ruleid: csharp.cors-permissive-credentials
            context.Response.Headers.Add("Access-Control-Allow-Origin", context.Request.Headers["Origin"]);
            // ruleid: csharp.cors-permissive-credentials
            context.Response.Headers["Access-Control-Allow-Origin"] = context.Request.Headers["Origin"];
            context.Response.Headers["Access-Control-Allow-Credentials"] = "true";
            // ok: csharp.cors-permissive-credentials
            context.Response.Headers["Access-Control-Allow-Origin"] = "https://app.bank.example";
        }
    }
}
