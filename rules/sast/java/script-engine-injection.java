package com.example.rules;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import javax.script.Bindings;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class FeeRuleController {
    private final ScriptEngineManager manager = new ScriptEngineManager();

    @PostMapping("/fees/preview")
    public Object preview(@RequestParam String formula, @RequestBody String script) throws ScriptException {
        ScriptEngine engine = manager.getEngineByName("javascript");
        // ruleid: java.script-engine-injection
        Object fee = engine.eval("var amount = 100; " + formula);
        // ruleid: java.script-engine-injection
        manager.getEngineByExtension("js").eval(script);
        GroovyShell shell = new GroovyShell();
        // ruleid: java.script-engine-injection
        shell.evaluate(script);

        Bindings bindings = engine.createBindings();
        bindings.put("formula", formula);
        // ok: java.script-engine-injection
        engine.eval("computeFee(formula)", bindings);
        Binding binding = new Binding();
        binding.setVariable("input", script);
        // ok: java.script-engine-injection
        new GroovyShell(binding).evaluate("return input.size()");
        // ok: java.script-engine-injection
        return engine.eval("1 + 1");
    }
}
