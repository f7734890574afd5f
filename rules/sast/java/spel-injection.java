package com.example.pricing;

import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.SimpleEvaluationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class PricingController {
    private final ExpressionParser parser = new SpelExpressionParser();

    @GetMapping("/price")
    public Object price(@RequestParam String rule, @RequestParam String field) {
        // ruleid: java.spel-injection
        Expression exp = parser.parseExpression(rule);
        // ruleid: java.spel-injection
        new SpelExpressionParser().parseExpression("#root." + field).getValue();
        String template = "Rate for " + field;
        // ruleid: java.spel-injection
        parser.parseExpression(template).getValue();

        SimpleEvaluationContext ctx = SimpleEvaluationContext.forReadOnlyDataBinding().build();
        ctx.setVariable("field", field);
        // ok: java.spel-injection
        parser.parseExpression("#field.length()").getValue(ctx);
        // ok: java.spel-injection
        parser.parseExpression("T(java.lang.Math).max(1, 2)").getValue();
        // ok: java.spel-injection
        return exp == null ? parser.parseExpression("'none'").getValue() : field;
    }
}
