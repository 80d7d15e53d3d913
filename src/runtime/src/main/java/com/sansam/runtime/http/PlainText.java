package com.sansam.runtime.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Text is checked once, at the edge, for what PostgreSQL and people can hold: every string of every JSON body (and
 * chat frame) read through the service's ObjectMapper is refused when it holds a NUL or another control character
 * (tab, line feed and carriage return excepted), which answers 400 naming the field instead of a 500 from the
 * database. Path and query text get the same rule in {@link HttpHygiene}.
 */
@Singleton
public class PlainText implements ObjectMapperCustomizer {

    /** C0 controls but tab, LF and CR; DEL; C1 controls. */
    static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F\\x80-\\x9F]");

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("sansam-plain-text").addDeserializer(String.class, new Strings()));
    }

    private static final class Strings extends StdScalarDeserializer<String> {

        Strings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = StringDeserializer.instance.deserialize(parser, context);
            if (value != null && CONTROL.matcher(value).find()) {
                return (String)
                        context.handleWeirdStringValue(String.class, value, "control characters are not accepted");
            }
            return value;
        }
    }
}
