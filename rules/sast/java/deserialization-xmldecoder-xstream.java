package com.example.importer;

import com.thoughtworks.xstream.XStream;
import com.thoughtworks.xstream.security.NoTypePermission;
import java.beans.XMLDecoder;
import java.io.InputStream;

public class ProfileImporter {
    public Object importBeans(InputStream in) {
        XMLDecoder decoder = new XMLDecoder(in);
        // ruleid: java.deserialization-xmldecoder-xstream
        Object profile = decoder.readObject();
        decoder.close();
        return profile;
    }

    public Object importInline(InputStream in) {
        // ruleid: java.deserialization-xmldecoder-xstream
        return new XMLDecoder(in).readObject();
    }

    public Object importXStream(String xml) {
        XStream xstream = new XStream();
        xstream.alias("profile", Profile.class);
        // ruleid: java.deserialization-xmldecoder-xstream
        return xstream.fromXML(xml);
    }

    public Object importXStreamAllowList(String xml) {
        XStream xstream = new XStream();
        xstream.addPermission(NoTypePermission.NONE);
        xstream.allowTypes(new Class[] {Profile.class});
        // ok: java.deserialization-xmldecoder-xstream
        return xstream.fromXML(xml);
    }

    public Object importXStreamTypes(String xml) {
        XStream xs = new XStream();
        xs.allowTypesByWildcard(new String[] {"com.example.importer.**"});
        // ok: java.deserialization-xmldecoder-xstream
        return xs.fromXML(xml);
    }

    public String export(Profile p) {
        XStream xstream = new XStream();
        // ok: java.deserialization-xmldecoder-xstream
        return xstream.toXML(p);
    }

    static class Profile {}
}
