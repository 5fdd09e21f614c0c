// The API docs page: Swagger UI over this server's /openapi.json, offline. Swagger UI's validator badge (which would
// send the document to another host) is off, and so are deep links; "Try it out" calls this server's /api.
(function () {
  "use strict";
  window.kgDocs = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: false,
    tryItOutEnabled: false,
    withCredentials: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    onComplete: function () { document.body.setAttribute("data-ready", "true"); },
  });
})();
