package dev.bulwark.servlet;

import jakarta.servlet.ServletContext;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Finds the container's request thread pool size, best effort and without a compile-time dependency on any
 * container: Jetty 12 through {@code ServletContextHandler.getServletContextHandler(context).getServer()
 * .getThreadPool()}; Tomcat through its {@code type=ThreadPool} MBean when its JMX registry is on (standalone Tomcat;
 * Spring Boot and bare embedded Tomcat turn it off, and the Spring adapter asks the web server instead). Stateless.
 */
final class ContainerThreads {

    private ContainerThreads() {}

    /** Returns the container's maximum request threads, or -1 when unknown. */
    static int of(ServletContext context) {
        int jetty = jetty(context);
        return jetty > 0 ? jetty : tomcatMBean();
    }

    private static int jetty(ServletContext context) {
        try {
            ClassLoader loader = context.getClass().getClassLoader();
            Class<?> handler = Class.forName("org.eclipse.jetty.ee10.servlet.ServletContextHandler", false, loader);
            Object contextHandler = handler.getMethod("getServletContextHandler", ServletContext.class)
                    .invoke(null, context);
            Object server = contextHandler.getClass().getMethod("getServer").invoke(contextHandler);
            Object pool = server.getClass().getMethod("getThreadPool").invoke(server);
            Method max = pool.getClass().getMethod("getMaxThreads");
            return ((Number) max.invoke(pool)).intValue();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return -1;
        }
    }

    private static int tomcatMBean() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Set<ObjectName> names = server.queryNames(new ObjectName("*:type=ThreadPool,*"), null);
            int total = 0;
            for (ObjectName name : names) {
                Object max = server.getAttribute(name, "maxThreads");
                if (max instanceof Number n && n.intValue() > 0) {
                    total += n.intValue();
                }
            }
            return total > 0 ? total : -1;
        } catch (Exception | LinkageError e) {
            return -1;
        }
    }
}
