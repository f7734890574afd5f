package com.example.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.databind.jsontype.impl.LaissezFaireSubTypeValidator;

public class EventMapper {
    public ObjectMapper legacy() {
        ObjectMapper mapper = new ObjectMapper();
        // ruleid: java.jackson-default-typing
        mapper.enableDefaultTyping();
        return mapper;
    }

    public ObjectMapper permissive() {
        ObjectMapper mapper = new ObjectMapper();
        // ruleid: java.jackson-default-typing
        mapper.activateDefaultTyping(LaissezFaireSubTypeValidator.instance, ObjectMapper.DefaultTyping.NON_FINAL);
        return mapper;
    }

    public ObjectMapper restricted() {
        BasicPolymorphicTypeValidator ptv = BasicPolymorphicTypeValidator.builder()
                .allowIfSubType("com.example.events.")
                .build();
        ObjectMapper mapper = new ObjectMapper();
        // ok: java.jackson-default-typing
        mapper.activateDefaultTyping(ptv, ObjectMapper.DefaultTyping.NON_FINAL);
        return mapper;
    }
}

// ruleid: java.jackson-default-typing
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@class")
abstract class PaymentEvent {}

// ok: java.jackson-default-typing
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = Settled.class, name = "settled")})
abstract class LedgerEvent {}

class Settled extends LedgerEvent {}

class Envelope {
    // ruleid: java.jackson-default-typing
    @JsonTypeInfo(use = JsonTypeInfo.Id.MINIMAL_CLASS)
    Object payload;

    // ok: java.jackson-default-typing
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
    LedgerEvent event;
}
