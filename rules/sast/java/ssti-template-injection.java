package com.example.notices;

import freemarker.cache.StringTemplateLoader;
import freemarker.template.Configuration;
import freemarker.template.Template;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.Velocity;
import org.apache.velocity.app.VelocityEngine;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class NoticeController {
    private final Configuration cfg = new Configuration(Configuration.VERSION_2_3_32);
    private final VelocityEngine velocity = new VelocityEngine();

    @PostMapping("/notices/preview")
    public String preview(@RequestParam String body, @RequestParam String name) throws Exception {
        VelocityContext context = new VelocityContext();
        context.put("name", name);
        StringWriter out = new StringWriter();
        // ruleid: java.ssti-template-injection
        Velocity.evaluate(context, out, "notice", body);
        // ruleid: java.ssti-template-injection
        velocity.evaluate(context, out, "notice", "Dear $name, " + body);
        // ruleid: java.ssti-template-injection
        Template t = new Template("notice", new StringReader(body), cfg);
        StringTemplateLoader loader = new StringTemplateLoader();
        // ruleid: java.ssti-template-injection
        loader.putTemplate("notice", body);

        // ok: java.ssti-template-injection
        Velocity.evaluate(context, out, "notice", "Dear $name, your statement is ready.");
        // ok: java.ssti-template-injection
        Template fixed = cfg.getTemplate("notice.ftl");
        fixed.process(Map.of("body", body), out);
        // ok: java.ssti-template-injection
        new Template("notice", new StringReader("Dear ${name}"), cfg).process(Map.of("name", name), out);
        return out.toString();
    }
}
