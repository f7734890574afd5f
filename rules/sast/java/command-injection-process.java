package com.example.ops;

import java.io.IOException;
import java.util.List;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

public class ReportServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String file = request.getParameter("file");
        // ruleid: java.command-injection-process
        Runtime.getRuntime().exec("gzip " + file);
        // ruleid: java.command-injection-process
        Runtime.getRuntime().exec(new String[] {"/bin/sh", "-c", "ls " + file});
        Runtime rt = Runtime.getRuntime();
        // ruleid: java.command-injection-process
        rt.exec("tar xf " + request.getHeader("X-Archive"));

        // ok: java.command-injection-process
        Runtime.getRuntime().exec("gzip /var/reports/daily.csv");
        String[] fixed = {"/usr/bin/uptime"};
        // ok: java.command-injection-process
        rt.exec(fixed);
    }
}

@RestController
class ConvertController {
    @PostMapping("/convert")
    public void convert(@RequestParam String source, @RequestParam int pages) throws IOException {
        // ruleid: java.command-injection-process
        new ProcessBuilder("sh", "-c", "convert " + source + " out.pdf").start();
        ProcessBuilder pb = new ProcessBuilder();
        // ruleid: java.command-injection-process
        pb.command("pdftk", source, "burst");
        // ok: java.command-injection-process
        new ProcessBuilder("convert", "/srv/in/statement.png", "out.pdf").start();
        // ok: java.command-injection-process
        pb.command(List.of("pdftk", "/srv/in/statement.pdf", "cat", String.valueOf(pages)));
    }
}
