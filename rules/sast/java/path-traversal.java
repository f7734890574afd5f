package com.example.statements;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.commons.io.FilenameUtils;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

public class StatementServlet extends HttpServlet {
    private static final Path BASE = Paths.get("/srv/statements");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("file");
        // ruleid: java.path-traversal
        InputStream in = new FileInputStream("/srv/statements/" + name);
        // ruleid: java.path-traversal
        byte[] data = Files.readAllBytes(BASE.resolve(name));
        // ruleid: java.path-traversal
        File f = new File(BASE.toFile(), request.getParameter("month"));

        // ok: java.path-traversal
        InputStream safe = new FileInputStream(new File(BASE.toFile(), FilenameUtils.getName(name)));
        // ok: java.path-traversal
        Files.readAllBytes(BASE.resolve("index.pdf"));
        // ok: java.path-traversal
        Path p = Paths.get(name).getFileName();
        // ok: java.path-traversal
        Files.readAllBytes(BASE.resolve(p));
        in.close();
        safe.close();
    }
}

@RestController
class UploadController {
    @PostMapping("/upload")
    public void upload(@RequestParam("file") MultipartFile file) throws IOException {
        // ruleid: java.path-traversal
        file.transferTo(new File("/srv/uploads/" + file.getOriginalFilename()));
    }
}
