package jp.sekisho.config;

/**
 * A 全国地方公共団体コード: five digits naming the prefecture and municipality, then a check digit
 * (weights 6, 5, 4, 3, 2; the digit is 11 minus the weighted sum mod 11, its last digit kept).
 * A typo in the code would file every audit record under another body, so it is checked.
 */
final class TenantCode {

    private TenantCode() {
    }

    /** The check digit the first five digits call for. */
    static int checkDigit(String code) {
        int sum = 0;
        for (int i = 0; i < 5; i++) {
            sum += (code.charAt(i) - '0') * (6 - i);
        }
        return (11 - sum % 11) % 10;
    }

    /** True for six digits whose last is the check digit of the first five. */
    static boolean isValid(String code) {
        return code.length() == 6 && code.chars().allMatch(Character::isDigit)
                && code.charAt(5) - '0' == checkDigit(code);
    }
}
