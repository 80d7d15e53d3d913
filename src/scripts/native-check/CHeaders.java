import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Writes a C header declaring the structs of the given @CStruct interfaces of the native-image builder, field by field
 * as their @CField accessors name them (the builder compiles a query program against such a header to learn each
 * field's offset and size). Usage: java -cp <builder jars> CHeaders.java GUARD interface...
 */
public class CHeaders {
    public static void main(String[] args) throws Exception {
        StringBuilder out = new StringBuilder("/* Generated from the native-image builder's @CStruct interfaces. */\n");
        out.append("#ifndef ").append(args[0]).append("\n#define ").append(args[0]).append("\n\n");
        for (int i = 1; i < args.length; i++) {
            Class<?> type = Class.forName(args[i], false, CHeaders.class.getClassLoader());
            String struct = annotationValue(type, "CStruct");
            if (struct == null) { // a class of @CConstants: numbered in the order they are declared
                int value = 0;
                Method[] methods = type.getDeclaredMethods();
                Arrays.sort(methods, Comparator.comparing(Method::getName));
                for (Method method : methods) {
                    String constant = annotationValue(method, "CConstant");
                    if (constant != null) {
                        out.append("#define ").append(constant).append(' ').append(value++).append('\n');
                    }
                }
                out.append('\n');
                continue;
            }
            if (struct.isEmpty()) {
                struct = type.getSimpleName();
            }
            // named both ways: as a typedef and with the struct keyword
            out.append("typedef struct ").append(struct).append(" {\n");
            Method[] methods = type.getDeclaredMethods();
            Arrays.sort(methods, Comparator.comparing(Method::getName));
            for (Method method : methods) {
                String field = annotationValue(method, "CField");
                if (field == null || method.getParameterCount() != 0) {
                    continue; // a setter, or not a field
                }
                out.append("    ").append(cType(method.getReturnType())).append(' ').append(field).append(";\n");
            }
            out.append("} ").append(struct).append(";\n\n");
        }
        System.out.print(out.append("#endif\n"));
    }

    private static String annotationValue(java.lang.reflect.AnnotatedElement element, String simpleName) throws Exception {
        for (var annotation : element.getAnnotations()) {
            if (annotation.annotationType().getSimpleName().equals(simpleName)) {
                String value = (String) annotation.annotationType().getMethod("value").invoke(annotation);
                return value.isEmpty() && element instanceof Method method ? method.getName() : value;
            }
        }
        return null;
    }

    private static String cType(Class<?> type) {
        return switch (type.getName()) {
            case "boolean", "byte" -> "char";
            case "short" -> "short";
            case "int" -> "int";
            case "long" -> "long long";
            case "float" -> "float";
            case "double" -> "double";
            case "org.graalvm.nativeimage.c.type.CCharPointer" -> "char *";
            default -> "void *";
        };
    }
}
