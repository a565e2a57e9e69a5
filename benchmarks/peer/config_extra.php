// techblogpro.wordpress_aws: behind CloudFront and the ALB, trust their HTTPS headers.
if ((isset($_SERVER['HTTP_CLOUDFRONT_FORWARDED_PROTO']) && $_SERVER['HTTP_CLOUDFRONT_FORWARDED_PROTO'] === 'https')
    || (isset($_SERVER['HTTP_X_FORWARDED_PROTO']) && strpos($_SERVER['HTTP_X_FORWARDED_PROTO'], 'https') !== false)) {
    $_SERVER['HTTPS'] = 'on';
}
// The data tier requires TLS (require_secure_transport): WordPress connects encrypted. The official image does not
// trust the RDS certificate authority, so the server certificate is not verified here (docs/security.md says why).
define('MYSQL_CLIENT_FLAGS', MYSQLI_CLIENT_SSL | MYSQLI_CLIENT_SSL_DONT_VERIFY_SERVER_CERT);
// Core comes from the pinned image: no in-place core updates, no file editor in wp-admin.
define('WP_AUTO_UPDATE_CORE', false);
define('DISALLOW_FILE_EDIT', true);
// A response to a viewer with a login, post-password or comment-author cookie is personal: no cache may store it
// (CloudFront's edge tier also keys its cache on these cookies).
foreach (array_keys($_COOKIE) as $wordpress_aws_cookie) {
    if (preg_match('/^(wordpress_logged_in_|wp-postpass_|comment_author_)/', $wordpress_aws_cookie)) {
        header('Cache-Control: private, no-store, max-age=0');
        break;
    }
}
// One line per PHP request on stderr (the container log, no query string, no cookie): the monitoring tier's
// Logs Insights queries find the slowest pages in them, and its metric filter counts the requests that ended
// without a database connection (WordPress hides those unless WP_DEBUG).
register_shutdown_function(function () {
    $wordpress_aws_db_up = isset($GLOBALS['wpdb']) && !empty($GLOBALS['wpdb']->ready);
    error_log('wordpress_aws_request ' . json_encode(array(
        'method' => isset($_SERVER['REQUEST_METHOD']) ? $_SERVER['REQUEST_METHOD'] : '',
        'path' => strtok(isset($_SERVER['REQUEST_URI']) ? $_SERVER['REQUEST_URI'] : '', '?'),
        'status' => http_response_code(),
        'ms' => (int) round((microtime(true) - $_SERVER['REQUEST_TIME_FLOAT']) * 1000),
        'db' => $wordpress_aws_db_up ? 'up' : 'down',
    ), JSON_UNESCAPED_SLASHES));
    if (!$wordpress_aws_db_up && isset($GLOBALS['wpdb'])) {
        error_log('wordpress_aws_db_unreachable: the request ended without a database connection');
    }
});
