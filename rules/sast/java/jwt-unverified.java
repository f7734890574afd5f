package com.example.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import java.security.Key;

public class TokenReader {
    private final Algorithm algorithm;
    private final Key key;

    TokenReader(Algorithm algorithm, Key key) {
        this.algorithm = algorithm;
        this.key = key;
    }

    public String subject(String token) {
        // ruleid: java.jwt-unverified
        DecodedJWT jwt = JWT.decode(token);
        return jwt.getSubject();
    }

    public Object claimsUnsigned(String token) {
        // ruleid: java.jwt-unverified
        return Jwts.parser().setSigningKey(key).parseClaimsJwt(token).getBody();
    }

    public Object anyToken(String token) {
        // ruleid: java.jwt-unverified
        return Jwts.parserBuilder().setSigningKey(key).build().parse(token).getBody();
    }

    public String verifiedSubject(String token) {
        // ok: java.jwt-unverified
        DecodedJWT jwt = JWT.require(algorithm).withIssuer("bank-idp").build().verify(token);
        return jwt.getSubject();
    }

    public String headerKid(String token) {
        JWT.require(algorithm).build().verify(token);
        // ok: java.jwt-unverified
        return JWT.decode(token).getKeyId();
    }

    public Claims signedClaims(String token) {
        // ok: java.jwt-unverified
        return Jwts.parserBuilder().setSigningKey(key).build().parseClaimsJws(token).getBody();
    }
}
