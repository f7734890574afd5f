package com.example.plugins;

import java.io.IOException;
import java.util.Map;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class ExportServlet extends HttpServlet {
    private static final Map<String, String> EXPORTERS = Map.of(
            "csv", "com.example.plugins.CsvExporter",
            "pdf", "com.example.plugins.PdfExporter");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String format = request.getParameter("format");
        String action = request.getParameter("action");
        try {
            // ruleid: java.reflection-injection
            Class<?> cls = Class.forName("com.example.plugins." + format + "Exporter");
            // ruleid: java.reflection-injection
            Object exporter = getClass().getClassLoader().loadClass(format).getDeclaredConstructor().newInstance();
            // ruleid: java.reflection-injection
            cls.getMethod(action).invoke(exporter);

            // ok: java.reflection-injection
            Class<?> safe = Class.forName(EXPORTERS.getOrDefault("csv", "com.example.plugins.CsvExporter"));
            // ok: java.reflection-injection
            safe.getMethod("export").invoke(safe.getDeclaredConstructor().newInstance());
            // ok: java.reflection-injection
            Class.forName("org.postgresql.Driver");
        } catch (ReflectiveOperationException e) {
            throw new IOException(e);
        }
    }
}
