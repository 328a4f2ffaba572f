using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class ExpiryNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ExpiryNotices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    KeyId = table.Column<string>(type: "TEXT", nullable: false),
                    DaysBefore = table.Column<int>(type: "INTEGER", nullable: false),
                    RecipientUserId = table.Column<string>(type: "TEXT", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExpiryNotices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ExpiryNotices_ApiKeys_KeyId",
                        column: x => x.KeyId,
                        principalTable: "ApiKeys",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ExpiryNotices_AspNetUsers_RecipientUserId",
                        column: x => x.RecipientUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExpiryNotices_KeyId_DaysBefore_RecipientUserId",
                table: "ExpiryNotices",
                columns: new[] { "KeyId", "DaysBefore", "RecipientUserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ExpiryNotices_RecipientUserId",
                table: "ExpiryNotices",
                column: "RecipientUserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExpiryNotices");
        }
    }
}
