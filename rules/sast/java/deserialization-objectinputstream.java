package com.example.cache;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.net.Socket;

public class SessionCache {
    public Object load(byte[] blob) throws IOException, ClassNotFoundException {
        ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(blob));
        // ruleid: java.deserialization-objectinputstream
        return ois.readObject();
    }

    public Object receive(Socket socket) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(socket.getInputStream())) {
            // ruleid: java.deserialization-objectinputstream
            return in.readUnshared();
        }
    }

    public Object inline(InputStream body) throws IOException, ClassNotFoundException {
        // ruleid: java.deserialization-objectinputstream
        return new ObjectInputStream(body).readObject();
    }

    public Object loadFiltered(byte[] blob) throws IOException, ClassNotFoundException {
        ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(blob));
        ois.setObjectInputFilter(ObjectInputFilter.Config.createFilter("com.example.cache.Entry;!*"));
        // ok: java.deserialization-objectinputstream
        return ois.readObject();
    }

    public int header(InputStream body) throws IOException {
        ObjectInputStream ois = new ObjectInputStream(body);
        // ok: java.deserialization-objectinputstream
        return ois.readInt();
    }

    public Object fromJson(InputStream body, com.fasterxml.jackson.databind.ObjectMapper mapper) throws IOException {
        // ok: java.deserialization-objectinputstream
        return mapper.readValue(body, Entry.class);
    }

    static class Entry {}
}
