package org.gongzhi.platform.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * RFC 9457 problem+json for the REST API; {@code errors} lists each field, value and reason in Chinese and English.
 */
// Before Spring Boot's own problem-details advice, which would otherwise answer these without the errors list.
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(annotations = org.springframework.web.bind.annotation.RestController.class)
class ApiProblems {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    @ExceptionHandler(InvalidInputException.class)
    ProblemDetail invalid(InvalidInputException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-input", "输入有误 / Invalid input", e.problems());
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "不存在或不在您的辖区 / not found or outside your jurisdiction: " + e.getMessage());
        p.setType(URI.create("https://gongzhi.org/problems/not-found"));
        return p;
    }

    @ExceptionHandler(ForbiddenException.class)
    ProblemDetail forbidden(ForbiddenException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "无权执行此操作 / not allowed: " + e.getMessage());
        p.setType(URI.create("https://gongzhi.org/problems/forbidden"));
        return p;
    }

    /** A file upload that is not multipart/form-data with a "file" part: a clear 400, not a server error. */
    @ExceptionHandler({org.springframework.web.multipart.MultipartException.class,
            org.springframework.web.multipart.support.MissingServletRequestPartException.class})
    ProblemDetail notAnUpload(Exception e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-input", "输入有误 / Invalid input",
                List.of(FieldProblem.of("file", "", "请以 multipart/form-data 上传文件，字段名为 file",
                        "upload the file as multipart/form-data in a part named \"file\"")));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-input", "输入有误 / Invalid input",
                List.of(FieldProblem.of(e.getName(), e.getValue(), "格式不正确", "wrong format")));
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ProblemDetail notValid(MethodArgumentNotValidException e) {
        List<FieldProblem> problems = e.getBindingResult().getFieldErrors().stream()
                .map(f -> FieldProblem.of(f.getField(), f.getRejectedValue(), String.valueOf(f.getDefaultMessage()),
                        String.valueOf(f.getDefaultMessage())))
                .toList();
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-input", "输入有误 / Invalid input", problems);
    }

    static ProblemDetail problem(HttpStatus status, String type, String title, List<FieldProblem> problems) {
        ProblemDetail p = ProblemDetail.forStatus(status);
        p.setType(URI.create("https://gongzhi.org/problems/" + type));
        p.setTitle(title);
        p.setDetail(problems.stream().map(FieldProblem::toString).reduce((a, b) -> a + "; " + b).orElse(""));
        p.setProperty("errors", problems.stream().map(f -> Map.of(
                "row", f.row(), "field", f.field(), "value", f.value() == null ? "" : f.value(),
                "reason_zh", f.reasonZh(), "reason_en", f.reasonEn())).toList());
        log.debug("refused input: {}", p.getDetail());
        return p;
    }
}
