// The API documentation at /api/docs: Swagger UI (bundled by `cargo xtask web` from the npm
// registry, nothing loaded from another site) reading this server's OpenAPI document.
window.addEventListener('load', () => {
  window.SwaggerUIBundle({
    url: '/api/v1/openapi.json',
    dom_id: '#docs',
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    // "Try it out" with a token from POST /api/v1/auth/login (the Authorize button).
    persistAuthorization: false,
  });
});
