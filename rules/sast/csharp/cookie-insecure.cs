using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Bank.Web
{
    public class PreferencesController : Controller
    {
        public IActionResult Remember(string token)
        {
            // ruleid: csharp.cookie-insecure
            Response.Cookies.Append("remember_me", token);
            // ruleid: csharp.cookie-insecure
            Response.Cookies.Append("device", token, new CookieOptions { Secure = false, HttpOnly = true });
            // ok: csharp.cookie-insecure
            Response.Cookies.Append("session_hint", token, new CookieOptions { Secure = true, HttpOnly = true, SameSite = SameSiteMode.Strict });
            return Ok();
        }
    }

    public static class Startup
    {
        public static void Configure(IServiceCollection services)
        {
            services.ConfigureApplicationCookie(options =>
            {
                // ruleid: csharp.cookie-insecure
                options.Cookie.SecurePolicy = CookieSecurePolicy.None;
                // ok: csharp.cookie-insecure
                options.Cookie.HttpOnly = true;
            });
            services.AddSession(options =>
            {
                // ok: csharp.cookie-insecure
                options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            });
        }
    }
}
